"""Life-event bundles: one submission, several services across agencies, one bundle number."""

import json
import threading

import pytest
from django.db import connection

from mpp.cases import bundles
from mpp.cases.demo import FORMS_DIR, load_demo_forms
from mpp.cases.models import Application, Bundle, FormDefinition, IdempotencyRecord
from mpp.catalog import services as catalog
from mpp.catalog.services import ChannelSpec
from mpp.core.errors import Conflict, Forbidden, InvalidInput
from mpp.core.roles import Role
from mpp.workflow.models import Step
from tests.support.bundles import DATA, FORMS, publish_form, submit
from tests.support.cases import serve

pytestmark = pytest.mark.django_db


def post(client, body, key="k1"):
    return client.post(
        "/api/v1/bundles",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": key} if key else {},
    )


def test_one_bundle_opens_every_service_with_its_own_workflow(applicant, kelahiran):
    result = submit(applicant)
    bundle = result.bundle
    assert not result.replayed
    applications = list(bundle.applications.order_by("id"))
    assert [a.offering.template.slug for a in applications] == list(FORMS)
    assert len({a.tracking for a in applications} | {bundle.tracking}) == 4
    assert bundle.tracking.startswith("3510-")
    assert {a.offering.agency.kind.slug for a in applications} == {
        "disdukcapil",
        "dinsos",
        "dinkes",
    }
    for application in applications:
        step = Step.objects.get(application=application, key="verifikasi")
        assert step.status == Step.Status.OPEN and step.agency == application.offering.agency
        assert application.due_at is not None
    # Each application keeps only its own form's keys.
    assert applications[0].data == {
        "anak_nama": "Budi",
        "anak_tanggal_lahir": "2026-11-20",
        "ibu_nama": "Siti Aminah",
    }
    assert applications[1].data == {"kk_nomor": "3510010101010001", "anak_nama": "Budi"}
    assert bundle.life_event.slug == "kelahiran"


def test_shared_fields_are_asked_once_by_section(applicant, kelahiran):
    members = bundles.members_for(kelahiran, "35.10", assisted=False)
    fields = bundles.merged_fields(members, kelahiran.provided_later)
    keys = [f["key"] for f in fields]
    assert sorted(keys) == sorted(set(keys))
    assert set(keys) == {"anak_nama", "anak_tanggal_lahir", "ibu_nama", "kk_nomor"}
    assert keys == ["anak_nama", "anak_tanggal_lahir", "ibu_nama", "kk_nomor"]
    assert [f.get("section", {}).get("id") for f in fields] == [
        "Data anak",
        None,
        "Orang tua",
        "Kartu Keluarga",
    ]


def test_every_error_of_every_member_at_once_and_nothing_created(applicant, kelahiran):
    with pytest.raises(InvalidInput) as caught:
        submit(applicant, data={"anak_tanggal_lahir": "kemarin"})
    fields = sorted(e["field"] for e in caught.value.errors)
    assert fields == ["anak_nama", "anak_tanggal_lahir", "ibu_nama", "kk_nomor"]
    assert Bundle.objects.count() == Application.objects.count() == 0
    assert not IdempotencyRecord.objects.exists()  # the corrected request may reuse the key
    assert submit(applicant).bundle.applications.count() == 3


def test_a_region_without_one_service_online_is_refused_naming_it(applicant, kelahiran):
    catalog.save_offering(
        actor=None,
        region_code="35.10",
        template_slug="kia",
        channels=[ChannelSpec("counter")],
        agency_kind="dinkes",
    )
    with pytest.raises(Conflict) as caught:
        submit(applicant)
    assert "Layanan kia" in str(caught.value.message)
    assert "akta" not in str(caught.value.message)
    with pytest.raises(Conflict):
        submit(applicant, region="33.14")
    assert Bundle.objects.count() == Application.objects.count() == 0


def test_replay_gives_the_same_bundle_and_another_body_is_409(citizen_client, kelahiran):
    body = {"region": "35.10", "bundle": "kelahiran", "data": DATA}
    first = post(citizen_client, body)
    assert first.status_code == 201, first.content
    tracking = first.json()["tracking"]
    assert first["Location"] == f"/api/v1/bundles/{tracking}"
    assert [a["tracking"][:4] for a in first.json()["applications"]] == ["3510"] * 3
    again = post(citizen_client, body)
    assert again.status_code == 200 and again.json()["tracking"] == tracking
    assert again["Idempotent-Replayed"] == "true"
    other = post(citizen_client, {**body, "data": {**DATA, "anak_nama": "Ani"}})
    assert other.status_code == 409
    assert post(citizen_client, body, key="").status_code == 400
    assert Bundle.objects.count() == 1 and Application.objects.count() == 3
    # A key used for a single application is not a bundle's.
    single = citizen_client.post(
        "/api/v1/applications",
        json.dumps({"offering_id": 1, "data": {}}),
        content_type="application/json",
        headers={"Idempotency-Key": "k1"},
    )
    assert single.status_code == 409


def test_api_errors_missing_offering_and_definitions(citizen_client, kelahiran):
    bad = post(citizen_client, {"region": "35.10", "bundle": "kelahiran", "data": {}})
    assert bad.status_code == 400
    assert {e["field"] for e in bad.json()["errors"]} == {
        "anak_nama",
        "anak_tanggal_lahir",
        "ibu_nama",
        "kk_nomor",
    }
    missing = post(citizen_client, {"region": "33.14", "bundle": "kelahiran", "data": DATA})
    assert missing.status_code == 409
    unknown = post(citizen_client, {"region": "35.10", "bundle": "tidak-ada", "data": DATA})
    assert unknown.status_code == 404
    listed = citizen_client.get("/api/v1/bundle-definitions").json()
    assert listed == [
        {
            "slug": "kelahiran",
            "name": "Paket kelahiran",
            "life_event": "kelahiran",
            "services": list(FORMS),
            "provided_later": ["anak_nik"],
        }
    ]


@pytest.fixture
def citizen_client(client, applicant):
    client.force_login(applicant)
    return client


def test_only_the_applicant_sees_the_bundle(citizen_client, applicant, kelahiran, make_user):
    tracking = submit(applicant).bundle.tracking
    mine = citizen_client.get(f"/api/v1/bundles/{tracking}")
    assert mine.status_code == 200 and len(mine.json()["applications"]) == 3
    page = citizen_client.get(f"/permohonan/paket/{tracking}/")
    assert page.status_code == 200 and "Layanan kia" in page.content.decode()
    listing = citizen_client.get("/permohonan/").content.decode()
    assert listing.count(f'href="/permohonan/paket/{tracking}/"') == 3  # each names its bundle
    citizen_client.force_login(make_user())
    assert citizen_client.get(f"/api/v1/bundles/{tracking}").status_code == 404
    assert citizen_client.get(f"/permohonan/paket/{tracking}/").status_code == 404
    officer = make_user(Role.AGENCY_OFFICER)
    citizen_client.force_login(officer)
    assert citizen_client.get(f"/api/v1/bundles/{tracking}").status_code == 404


def test_public_status_by_bundle_number_has_a_status_per_service(client, applicant, kelahiran):
    bundle = submit(applicant).bundle
    answer = client.get(f"/api/v1/status?tracking={bundle.tracking}&nik4=0001")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["kind"] == "bundle" and body["status"] == "open"
    assert [s["service"] for s in body["services"]] == [f"Layanan {slug}" for slug in FORMS]
    text = answer.content.decode()
    assert "Budi" not in text and "Siti" not in text and "3510015708900001" not in text
    assert client.get(f"/api/v1/status?tracking={bundle.tracking}&nik4=9999").status_code == 404
    page = client.post("/lacak/", {"nomor": bundle.tracking, "nik4": "0001"}).content.decode()
    assert "Layanan kk-perubahan-data" in page and "Budi" not in page
    assert client.post("/lacak/", {"nomor": bundle.tracking, "nik4": "1234"}).status_code == 404


def test_pages_apply_once_and_link_from_the_catalogue(citizen_client, kelahiran):
    catalogue = citizen_client.get("/wilayah/35.10/layanan/?peristiwa=kelahiran").content.decode()
    assert "/wilayah/35.10/paket/kelahiran/ajukan/" in catalogue
    form = citizen_client.get("/wilayah/35.10/paket/kelahiran/ajukan/")
    html = form.content.decode()
    assert form.status_code == 200 and html.count('name="anak_nama"') == 1
    assert 'name="anak_nik"' not in html
    bad = citizen_client.post(
        "/wilayah/35.10/paket/kelahiran/ajukan/", {"idempotency_key": "p1", "anak_nama": "Budi"}
    )
    assert bad.status_code == 400 and Bundle.objects.count() == 0
    done = citizen_client.post(
        "/wilayah/35.10/paket/kelahiran/ajukan/", {"idempotency_key": "p1", **DATA}
    )
    bundle = Bundle.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/permohonan/paket/{bundle.tracking}/"
    elsewhere = citizen_client.get("/wilayah/33.14/paket/kelahiran/ajukan/")
    assert elsewhere.status_code == 409


def test_definitions_whose_forms_disagree_are_refused(make_template, make_user):
    one = make_template(slug="satu", name="Satu")
    two = make_template(slug="dua", name="Dua")
    publish_form(one, [{"key": "tanggal", "type": "date", "label": {"id": "Tanggal"}}])
    publish_form(two, [{"key": "tanggal", "type": "text", "label": {"id": "Tanggal"}}])
    with pytest.raises(InvalidInput) as caught:
        bundles.save_bundle_definition(actor=None, slug="x", name="X", services=["satu", "dua"])
    assert "tanggal" in str(caught.value.message) and caught.value.field == "services"
    with pytest.raises(InvalidInput):
        bundles.save_bundle_definition(actor=None, slug="x", name="X", services=["satu"])
    with pytest.raises(InvalidInput):
        bundles.save_bundle_definition(
            actor=None, slug="x", name="X", services=["satu", "tidak-ada"]
        )
    with pytest.raises(Forbidden):
        bundles.save_bundle_definition(
            actor=make_user(Role.REGIONAL_MANAGER),
            slug="x",
            name="X",
            services=["satu", "dua"],
        )


def test_admin_refuses_a_definition_whose_forms_disagree(client, make_template, make_user):
    one = make_template(slug="satu", name="Satu")
    two = make_template(slug="dua", name="Dua")
    publish_form(one, [{"key": "tanggal", "type": "date", "label": {"id": "Tanggal"}}])
    publish_form(two, [{"key": "tanggal", "type": "text", "label": {"id": "Tanggal"}}])
    client.force_login(make_user(Role.NATIONAL_ADMIN))
    answer = client.post(
        "/admin/cases/bundledefinition/add/",
        {"slug": "x", "name": "X", "services": '["satu", "dua"]', "provided_later": "[]",
         "is_active": "on"},
    )  # fmt: skip
    assert answer.status_code == 200 and "tanggal" in answer.content.decode()
    assert not bundles.BundleDefinition.objects.exists()


def test_the_demo_birth_bundle_agrees(make_template):
    for slug in FORMS:
        make_template(slug=slug, name=slug)
    load_demo_forms()
    spec = json.loads((FORMS_DIR.parent / "bundles.json").read_text())["bundles"][0]
    definition = bundles.save_bundle_definition(actor=None, **spec)
    assert definition.services == ["akta-kelahiran", "kk-perubahan-data", "kia"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_makes_one_bundle(official_regions, request):
    """A double-click on "Ajukan sekaligus" (PostgreSQL only: real locking)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, there is no race to test")
    applicant = request.getfixturevalue("applicant")
    request.getfixturevalue("kelahiran")
    barrier = threading.Barrier(4)
    results: list = []

    def run():
        try:
            barrier.wait()
            results.append(submit(applicant, key="race"))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4
    assert len({r.bundle.pk for r in results}) == 1
    assert sorted(r.replayed for r in results) == [False, True, True, True]
    assert Bundle.objects.count() == 1 and Application.objects.count() == 3


def test_bundle_page_asks_consent_per_agency_then_prefills(citizen_client, kelahiran):
    reporter = {"key": "pemohon_nama", "type": "text", "label": {"id": "Nama pelapor"},
                "prefill": "full_name"}  # fmt: skip
    for form in FormDefinition.objects.filter(template__slug__in=["akta-kelahiran", "kia"]):
        form.definition = {"fields": [*form.definition["fields"], reporter]}
        form.save()
    url = "/wilayah/35.10/paket/kelahiran/ajukan/"
    asked = citizen_client.get(url).content.decode()
    assert "Isi otomatis dari profil Anda?" in asked
    assert "Layanan akta-kelahiran" in asked and "Layanan kia" in asked
    assert "Layanan kk-perubahan-data" not in asked  # its form wants nothing from the profile
    assert citizen_client.post(url, {"action": "consent"}).status_code == 302
    html = citizen_client.get(url).content.decode()
    assert html.count('name="pemohon_nama"') == 1 and 'value="Siti Aminah"' in html
    by_hand = citizen_client.get(url + "?isi=sendiri")
    assert by_hand.status_code == 200


def test_counter_officer_files_a_bundle_for_a_citizen(applicant, kelahiran, make_officer):
    officer = make_officer(Role.COUNTER_OFFICER)
    serve(officer, applicant.citizen)
    result = bundles.submit_bundle(
        user=officer,
        region_code="35.10",
        bundle_slug="kelahiran",
        data=DATA,
        idempotency_key="loket-1",
        on_behalf_of=applicant.citizen.pk,
    )
    assert result.bundle.applicant == applicant.citizen
    assert {a.channel for a in result.bundle.applications.all()} == {"counter"}
    stranger = make_officer(Role.COUNTER_OFFICER, region="33.14")
    with pytest.raises(Forbidden):
        bundles.submit_bundle(
            user=stranger,
            region_code="35.10",
            bundle_slug="kelahiran",
            data=DATA,
            idempotency_key="loket-2",
            on_behalf_of=applicant.citizen.pk,
        )
