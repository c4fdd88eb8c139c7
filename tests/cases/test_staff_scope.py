"""Which staff may read which application (`queries.staff_scope`), through every way in.

Given a SIP application at Dinas Kesehatan, a PBG worked in parallel by DPMPTSP and Dinas PUPR,
and a SIP filed at the counter for a walk-in citizen, all in Banyuwangi: the responsible
agencies' officers, the region's manager and the counter officer who filed read them (officer
page, API, document download, a note to the citizen); every other officer gets 404 on each, and
nothing is written (no note, no access-log row, no download link).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mpp.accounts.models import DataAccess
from mpp.cases import documents, download, queries, services
from mpp.cases.models import FormDefinition
from mpp.catalog import services as catalog
from mpp.catalog.models import AgencyKind
from mpp.catalog.services import ChannelSpec
from mpp.core.errors import NotFound
from mpp.core.roles import Role
from mpp.workflow.models import Comment, Step
from mpp.workflow.services import save_process
from tests.support.cases import demo_process, serve
from tests.support.pdf import make_pdf

pytestmark = pytest.mark.django_db

FORM = {
    "fields": [
        {"key": "child_name", "type": "text", "label": {"id": "Nama"}, "required": True},
        {"key": "berkas", "type": "file", "label": {"id": "Berkas pendukung"}},
    ]
}
AGENCY_KINDS = {"dinkes": "Dinas Kesehatan", "dpmptsp": "DPMPTSP", "dinas-pupr": "Dinas PUPR"}


def _service(make_template, slug, agency_kind):
    template = make_template(slug=slug, name=f"Layanan {slug}")
    FormDefinition.objects.create(
        template=template, number=1, status=FormDefinition.Status.PUBLISHED, definition=FORM
    )
    save_process(actor=None, slug=slug, template=template, definition=demo_process(slug))
    return catalog.save_offering(
        actor=None, region_code="35.10", template_slug=slug,
        channels=[ChannelSpec("online"), ChannelSpec("counter")], agency_kind=agency_kind,
    )  # fmt: skip


def _file(user, offering, key, **extra):
    return services.submit_application(
        user=user, offering_id=offering.pk, data={"child_name": "Budi"}, idempotency_key=key,
        **extra,
    ).application  # fmt: skip


def _attach(user, application):
    upload = SimpleUploadedFile("ijazah.pdf", make_pdf(application.tracking))
    return documents.attach_document(
        user=user, tracking=application.tracking, field="berkas", upload=upload
    ).attachment.document


@pytest.fixture
def world(settings, tmp_path, applicant, akta_ready, make_template, make_officer):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MPP_MALWARE_SCANNER = "noop"
    for slug, name in AGENCY_KINDS.items():
        AgencyKind.objects.create(slug=slug, name=name, short_name=name, level="regional")
    agency = {
        slug: catalog.ensure_agency(actor=None, region_code="35.10", kind_slug=slug)
        for slug in AGENCY_KINDS
    }
    sip = _service(make_template, "sip-tenaga-kesehatan", "dinkes")
    pbg = _service(make_template, "pbg", "dpmptsp")
    loket = make_officer(Role.COUNTER_OFFICER)
    serve(loket, applicant.citizen)
    apps = {
        "sip": _file(applicant, sip, "sip"),
        "pbg": _file(applicant, pbg, "pbg"),
        "walk_in": _file(loket, sip, "loket", on_behalf_of=applicant.citizen.pk),
    }
    docs = {name: _attach(applicant, app) for name, app in apps.items()}
    assert {s.agency_id for s in Step.objects.filter(application=apps["pbg"])} == {
        agency["dpmptsp"].pk,
        agency["dinas-pupr"].pk,
    }
    dinkes_sragen = catalog.ensure_agency(actor=None, region_code="33.14", kind_slug="dinkes")
    staff = {
        "dinkes": make_officer(Role.AGENCY_OFFICER, agency=agency["dinkes"]),
        "dinkes_admin": make_officer(Role.AGENCY_ADMIN, agency=agency["dinkes"]),
        "dpmptsp": make_officer(Role.AGENCY_OFFICER, agency=agency["dpmptsp"]),
        "pupr": make_officer(Role.AGENCY_OFFICER, agency=agency["dinas-pupr"]),
        "dukcapil": make_officer(Role.AGENCY_OFFICER, agency=akta_ready.agency),
        "dinkes_sragen": make_officer(Role.AGENCY_OFFICER, agency=dinkes_sragen, region="33.14"),
        "manager": make_officer(Role.REGIONAL_MANAGER),
        "manager_sragen": make_officer(Role.REGIONAL_MANAGER, region="33.14"),
        "loket": loket,
        "other_loket": make_officer(Role.COUNTER_OFFICER),
        "national": make_officer(Role.NATIONAL_ADMIN, region=None),
    }
    return apps, docs, staff


# staff -> the applications they read; everything else is 404.
READS = {
    "dinkes": {"sip", "walk_in"},
    "dinkes_admin": {"sip", "walk_in"},
    "dpmptsp": {"pbg"},
    "pupr": {"pbg"},  # its step still waits for DPMPTSP's: any state of the step counts
    "dukcapil": set(),
    "dinkes_sragen": set(),
    "manager": {"sip", "pbg", "walk_in"},
    "manager_sragen": set(),
    "loket": {"walk_in"},
    "other_loket": set(),
    "national": set(),  # as before: national admins read no applications
}
CASES = [(who, what) for who in READS for what in ("sip", "pbg", "walk_in")]


def test_the_matrix_covers_every_staff_role():
    roles = {
        Role.AGENCY_OFFICER, Role.AGENCY_ADMIN, Role.REGIONAL_MANAGER, Role.COUNTER_OFFICER,
        Role.NATIONAL_ADMIN,
    }  # fmt: skip
    assert roles == set(Role) - {Role.CITIZEN}


@pytest.mark.parametrize(("who", "what"), CASES, ids=[f"{w}-{a}" for w, a in CASES])
def test_staff_read_only_what_the_rule_allows(client, world, who, what):
    apps, docs, staff = world
    user, application, document = staff[who], apps[what], docs[what]
    client.force_login(user)
    notes, log = Comment.objects.count(), DataAccess.objects.count()
    allowed = what in READS[who]
    ok = 200 if allowed else 404

    page = client.get(f"/petugas/permohonan/{application.tracking}/")
    api = client.get(f"/api/v1/applications/{application.tracking}")
    link = client.get(f"/api/v1/documents/{document.pk}/link")
    # A link signed for this user (as if obtained earlier) is checked again when opened.
    token = download._signer().sign_object({"d": document.pk, "u": user.pk})
    file = client.get(f"/berkas/{token}")
    note = client.post(
        f"/petugas/permohonan/{application.tracking}/catatan/",
        {"body": "Mohon lengkapi berkas.", "to_citizen": "1"},
    )

    assert (page.status_code, api.status_code, link.status_code, file.status_code) == (ok,) * 4
    assert note.status_code == (302 if allowed else 404)
    if allowed:
        assert api.json()["tracking"] == application.tracking
        assert b"".join(file.streaming_content) == document.file.open("rb").read()
        assert Comment.objects.filter(application=application, author=user).count() == 1
        assert DataAccess.objects.count() > log
    else:
        assert b"Budi" not in page.content and "Budi" not in api.content.decode()
        assert Comment.objects.count() == notes
        assert DataAccess.objects.count() == log


def test_the_work_queue_lists_only_readable_applications(world):
    apps, _docs, staff = world
    for who, readable in READS.items():
        listed = {
            step.application_id
            for status in Step.Status.values
            for step in queries.work_queue(staff[who], queries.QueueFilter(status=status))
        }
        assert listed <= {apps[name].pk for name in readable}, who
    pupr = queries.work_queue(staff["pupr"], queries.QueueFilter(status=Step.Status.WAITING))
    assert [(s.application_id, s.key) for s in pupr] == [(apps["pbg"].pk, "penilaian_teknis")]
    other = queries.work_queue(staff["other_loket"], queries.QueueFilter())
    assert other == []


def test_the_rule_is_one_query_with_the_application(world, django_assert_num_queries):
    apps, _docs, staff = world
    user = staff["pupr"]
    queries.staff_scope(user)  # reads the grants once per user object
    with django_assert_num_queries(1):
        assert queries.staff_application(user, apps["pbg"].tracking) == apps["pbg"]


def test_a_finished_step_still_counts(world):
    apps, _docs, staff = world
    services.act_on_application(
        user=staff["dinkes"], tracking=apps["sip"].tracking, step_key="pemeriksaan",
        action="terbitkan",
    )  # fmt: skip
    assert Step.objects.get(application=apps["sip"]).status == Step.Status.DONE
    assert queries.staff_application(staff["dinkes"], apps["sip"].tracking) == apps["sip"]
    with pytest.raises(NotFound):
        queries.staff_application(staff["pupr"], apps["sip"].tracking)
