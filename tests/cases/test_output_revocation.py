"""Revoking outputs: the issuing agency's staff, the region's managers and national admins may,
from the officer page or the admin; everyone else is refused and nothing changes. The public
sees a reason from a fixed list; the officer's note stays with staff and the holder."""

import threading

import pytest
from django.db import connection

from mpp.cases import outputs
from mpp.cases.models import Output
from mpp.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mpp.core.roles import Role
from mpp.notifications.models import Notification
from tests.support.outputs import approve, sragen_office, submit

pytestmark = pytest.mark.django_db
DATA_ERROR = Output.RevocationReason.DATA_ERROR
NOTE = "NIK 3510015708900001 tertulis sebagai ayah; Siti Aminah minta dicetak ulang"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MPP_PUBLIC_URL = "https://mpp.example.go.id"


# --- Who may, and the rules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "outcome"),
    [
        ("issuing_officer", None),
        ("issuing_admin", None),
        ("regional_manager", None),
        ("national_admin", None),
        ("counter_officer", NotFound),  # outputs are agency documents: not theirs to see
        ("other_agency_officer", NotFound),
        ("applicant", Forbidden),
        ("officer_other_region", NotFound),
        ("manager_other_region", NotFound),
        ("other_citizen", NotFound),
    ],
)
def test_revoke_permissions(
    who, outcome, issued, make_officer, make_user, other_agency, applicant, stranger
):
    agency = issued.agency
    users = {
        "issuing_officer": lambda: make_officer(Role.AGENCY_OFFICER, agency=agency),
        "issuing_admin": lambda: make_officer(Role.AGENCY_ADMIN, agency=agency),
        "regional_manager": lambda: make_officer(Role.REGIONAL_MANAGER),
        "national_admin": lambda: make_user(Role.NATIONAL_ADMIN),
        "counter_officer": lambda: make_officer(Role.COUNTER_OFFICER),
        "other_agency_officer": lambda: make_officer(Role.AGENCY_OFFICER, agency=other_agency),
        "applicant": lambda: applicant,
        "officer_other_region": lambda: make_officer(
            Role.AGENCY_OFFICER, agency=sragen_office(agency), region="33.14"
        ),
        "manager_other_region": lambda: make_officer(Role.REGIONAL_MANAGER, region="33.14"),
        "other_citizen": lambda: stranger,
    }
    user = users[who]()
    if outcome is None:
        revoked = outputs.revoke_output(
            user=user, code=issued.code, public_reason=DATA_ERROR, note="Salah nama"
        )
        assert revoked.revoked_at is not None and revoked.revoked_by == user
        assert revoked.revoked_public_reason == "kesalahan_data"
        assert revoked.revoked_note == "Salah nama"
    else:
        with pytest.raises(outcome):
            outputs.revoke_output(
                user=user, code=issued.code, public_reason=DATA_ERROR, note="Salah nama"
            )
        assert_not_revoked(issued)


def assert_not_revoked(output):
    output.refresh_from_db()
    assert output.revoked_at is None and output.revoked_by is None
    assert output.revoked_public_reason == "" and output.revoked_note == ""
    assert not Notification.objects.filter(title__contains="dicabut").exists()


@pytest.mark.parametrize(
    ("public_reason", "note", "field", "message"),
    [
        (DATA_ERROR, "   ", "note", "Tuliskan catatan pencabutan."),
        (DATA_ERROR, "x" * 301, "note", "Catatan terlalu panjang (maksimal 300 karakter)."),
        ("salah_ketik", "Salah nama", "public_reason", "Pilih alasan pencabutan dari daftar."),
        ("", "Salah nama", "public_reason", "Pilih alasan pencabutan dari daftar."),
        ("Kesalahan data pada dokumen", "Salah nama", "public_reason",
         "Pilih alasan pencabutan dari daftar."),
    ],
)  # fmt: skip
def test_revoke_refuses_bad_input_and_changes_nothing(
    issued, officer, public_reason, note, field, message
):
    with pytest.raises(InvalidInput) as refused:
        outputs.revoke_output(
            user=officer, code=issued.code, public_reason=public_reason, note=note
        )
    assert refused.value.field == field and str(refused.value.message) == message
    assert_not_revoked(issued)


def test_revoke_happens_once(issued, officer):
    first = outputs.revoke_output(
        user=officer, code=issued.code, public_reason=DATA_ERROR, note="Salah nama"
    )
    with pytest.raises(Conflict):
        outputs.revoke_output(user=officer, code=issued.code, public_reason="lainnya", note="Lagi")
    issued.refresh_from_db()
    assert issued.revoked_at == first.revoked_at
    assert (issued.revoked_public_reason, issued.revoked_note) == ("kesalahan_data", "Salah nama")


def test_revoke_of_an_unknown_code_is_not_found(officer):
    with pytest.raises(NotFound):
        outputs.revoke_output(
            user=officer, code="AAAA-BBBB-CCCC-DDDD", public_reason=DATA_ERROR, note="x"
        )


# --- What the public sees -----------------------------------------------------------------------


def test_public_page_and_api_show_the_reason_label_never_the_note(client, issued, officer):
    outputs.revoke_output(user=officer, code=issued.code, public_reason=DATA_ERROR, note=NOTE)

    page = client.get(f"/verify/{issued.code}").content.decode()
    api = client.get(f"/api/v1/verify/{issued.code}")

    assert "Dicabut" in page and "Kesalahan data pada dokumen" in page
    body = api.json()
    assert body["status"] == "revoked"
    assert body["revoked_reason"] == "Kesalahan data pada dokumen"
    assert body["revoked_reason_code"] == "kesalahan_data"
    for private in (NOTE, "3510015708900001", "Siti Aminah", "dicetak ulang"):
        assert private not in page and private not in api.content.decode()


def test_the_holder_and_staff_still_read_the_note(client, applicant, issued, officer):
    outputs.revoke_output(
        user=officer, code=issued.code, public_reason="diterbitkan_ulang", note=NOTE
    )
    tracking = issued.application.tracking

    [told] = Notification.objects.filter(user=applicant, title__contains="dicabut")
    assert "Diterbitkan ulang (diganti dokumen baru)" in told.body and NOTE in told.body
    client.force_login(applicant)
    assert NOTE in client.get(f"/permohonan/{tracking}/").content.decode()
    [row] = client.get(f"/api/v1/applications/{tracking}/outputs").json()
    assert row["revoked_note"] == NOTE
    assert row["revoked_reason"] == "Diterbitkan ulang (diganti dokumen baru)"
    client.force_login(officer)
    assert NOTE in client.get(f"/petugas/permohonan/{tracking}/").content.decode()


# --- The officer page ---------------------------------------------------------------------------


def test_officer_revokes_from_the_application_page(client, officer, issued):
    client.force_login(officer)
    tracking = issued.application.tracking
    url = f"/petugas/permohonan/{tracking}/produk/cabut/"

    form = client.get(f"/petugas/permohonan/{tracking}/").content.decode()
    assert 'name="public_reason"' in form and 'name="note"' in form
    assert '<option value="putusan_instansi">' in form
    done = client.post(
        url, {"code": issued.code, "public_reason": "kesalahan_data", "note": "Data keliru"},
        follow=True,
    )  # fmt: skip

    assert "Produk layanan dicabut." in done.content.decode()
    issued.refresh_from_db()
    assert issued.revoked_public_reason == "kesalahan_data" and issued.revoked_note == "Data keliru"
    assert issued.revoked_by == officer
    twice = client.post(url, {"code": issued.code, "public_reason": "lainnya", "note": "Lagi"})
    assert twice.status_code == 409


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (
            {"public_reason": "rahasia", "note": "Data keliru"},
            "Pilih alasan pencabutan dari daftar.",
        ),
        ({"note": "Data keliru"}, "Pilih alasan pencabutan dari daftar."),
        ({"public_reason": "kesalahan_data", "note": ""}, "Tuliskan catatan pencabutan."),
    ],
)
def test_the_officer_page_refuses_bad_input_and_revokes_nothing(
    client, officer, issued, form, message
):
    client.force_login(officer)
    url = f"/petugas/permohonan/{issued.application.tracking}/produk/cabut/"

    response = client.post(url, {"code": issued.code, **form})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert_not_revoked(issued)


def test_counter_officer_sees_no_revoke_form_and_is_refused(client, make_officer, issued):
    counter = make_officer(Role.COUNTER_OFFICER)
    client.force_login(counter)
    tracking = issued.application.tracking
    assert (
        "Cabut produk layanan"
        not in client.get(f"/petugas/permohonan/{tracking}/").content.decode()
    )

    response = client.post(
        f"/petugas/permohonan/{tracking}/produk/cabut/",
        {"code": issued.code, "public_reason": "lainnya", "note": "x"},
    )

    assert response.status_code == 404  # an output a counter officer cannot even see
    issued.refresh_from_db()
    assert issued.revoked_at is None


# --- Admin --------------------------------------------------------------------------------------


def test_admin_revokes_through_the_service(client, make_user, issued):
    admin_user = make_user(Role.NATIONAL_ADMIN)
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    url = "/admin/cases/output/"
    assert issued.code in client.get(url).content.decode()

    confirm = client.post(url, {"action": "revoke", "_selected_action": [issued.pk]})
    assert confirm.status_code == 200 and "Alasan pencabutan" in confirm.content.decode()
    assert "Catatan pencabutan" in confirm.content.decode()
    unknown = client.post(
        url, {"action": "revoke", "_selected_action": [issued.pk],
              "public_reason": "rahasia", "note": "Ganda"},
    )  # fmt: skip
    assert unknown.status_code == 200 and "rahasia" in unknown.content.decode()  # form again
    assert_not_revoked(issued)
    client.post(
        url, {"action": "revoke", "_selected_action": [issued.pk],
              "public_reason": "diterbitkan_ulang", "note": "Ganda"},
    )  # fmt: skip

    issued.refresh_from_db()
    assert issued.revoked_public_reason == "diterbitkan_ulang" and issued.revoked_note == "Ganda"
    assert issued.revoked_by == admin_user
    assert client.get(f"/admin/cases/output/{issued.pk}/change/").status_code == 200
    assert client.get("/admin/cases/output/add/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_concurrent_revokes_record_one(official_regions, request):
    """Four officers revoke at once: one wins, the others get 409 (PostgreSQL: real locking)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, there is no race to test")
    offering = request.getfixturevalue("akta_ready")
    make_officer = request.getfixturevalue("make_officer")
    officers = [make_officer(Role.AGENCY_OFFICER, agency=offering.agency) for _ in range(4)]
    application = approve(submit(request.getfixturevalue("applicant"), offering), officers[0])
    code = application.outputs.get().code
    barrier = threading.Barrier(4)
    outcomes: list = []

    def revoke(officer, reason):
        try:
            barrier.wait()
            outputs.revoke_output(user=officer, code=code, public_reason="lainnya", note=reason)
            outcomes.append(reason)
        except Exception as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    reasons = [f"alasan {n}" for n in range(4)]
    threads = [
        threading.Thread(target=revoke, args=pair) for pair in zip(officers, reasons, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if o in reasons]
    assert len(winners) == 1 and outcomes.count("Conflict") == 3
    assert Output.objects.get(code=code).revoked_note == winners[0]
