"""Revoking outputs: the issuing agency's staff, the region's managers and national admins may,
from the officer page or the admin; everyone else is refused and nothing changes."""

import threading

import pytest
from django.db import connection

from mpp.cases import outputs
from mpp.cases.models import Output
from mpp.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mpp.core.roles import Role
from tests.support.outputs import approve, sragen_office, submit

pytestmark = pytest.mark.django_db


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
        revoked = outputs.revoke_output(user=user, code=issued.code, reason="Salah nama")
        assert revoked.revoked_at is not None and revoked.revoked_by == user
        assert revoked.revoked_reason == "Salah nama"
    else:
        with pytest.raises(outcome):
            outputs.revoke_output(user=user, code=issued.code, reason="Salah nama")
        issued.refresh_from_db()
        assert issued.revoked_at is None and issued.revoked_reason == ""


def test_revoke_needs_a_reason_and_happens_once(issued, officer):
    with pytest.raises(InvalidInput) as empty:
        outputs.revoke_output(user=officer, code=issued.code, reason="   ")
    assert empty.value.field == "reason"
    with pytest.raises(InvalidInput):
        outputs.revoke_output(user=officer, code=issued.code, reason="x" * 301)
    issued.refresh_from_db()
    assert issued.revoked_at is None

    first = outputs.revoke_output(user=officer, code=issued.code, reason="Salah nama")
    with pytest.raises(Conflict):
        outputs.revoke_output(user=officer, code=issued.code, reason="Lagi")
    issued.refresh_from_db()
    assert issued.revoked_at == first.revoked_at and issued.revoked_reason == "Salah nama"


def test_revoke_of_an_unknown_code_is_not_found(officer):
    with pytest.raises(NotFound):
        outputs.revoke_output(user=officer, code="AAAA-BBBB-CCCC-DDDD", reason="x")


# --- The officer page ---------------------------------------------------------------------------


def test_officer_revokes_from_the_application_page(client, officer, issued):
    client.force_login(officer)
    tracking = issued.application.tracking
    url = f"/petugas/permohonan/{tracking}/produk/cabut/"

    empty = client.post(url, {"code": issued.code, "reason": ""})
    assert empty.status_code == 400 and "alasan" in empty.content.decode().lower()
    done = client.post(url, {"code": issued.code, "reason": "Data keliru"}, follow=True)

    assert "Produk layanan dicabut." in done.content.decode()
    issued.refresh_from_db()
    assert issued.revoked_reason == "Data keliru" and issued.revoked_by == officer
    twice = client.post(url, {"code": issued.code, "reason": "Lagi"})
    assert twice.status_code == 409


def test_counter_officer_sees_no_revoke_form_and_is_refused(client, make_officer, issued):
    counter = make_officer(Role.COUNTER_OFFICER)
    client.force_login(counter)
    tracking = issued.application.tracking
    assert (
        "Cabut produk layanan"
        not in client.get(f"/petugas/permohonan/{tracking}/").content.decode()
    )

    response = client.post(
        f"/petugas/permohonan/{tracking}/produk/cabut/", {"code": issued.code, "reason": "x"}
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
    client.post(url, {"action": "revoke", "_selected_action": [issued.pk], "reason": "Ganda"})

    issued.refresh_from_db()
    assert issued.revoked_reason == "Ganda" and issued.revoked_by == admin_user
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
            outputs.revoke_output(user=officer, code=code, reason=reason)
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
    assert Output.objects.get(code=code).revoked_reason == winners[0]
