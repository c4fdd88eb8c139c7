"""Fixtures for applications and workflow: a citizen, officers of an agency, processes."""

import datetime
import json
from pathlib import Path

import pytest
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from mpp.accounts import services as account_services
from mpp.accounts.registration import attach_citizen
from mpp.cases.models import FormDefinition
from mpp.core.roles import Role
from mpp.workflow.services import save_process

PROCESSES = Path(__file__).parents[2] / "src/mpp/workflow/demo_data/processes.json"
NIK = "3510015708900001"  # Banyuwangi, born 17-08-1990, female

SIMPLE_FORM = {
    "fields": [
        {"key": "child_name", "type": "text", "label": {"id": "Nama anak"}, "required": True},
        {"key": "remarks", "type": "text", "label": {"id": "Keterangan"}},
    ]
}


# A required child's name and a required KK scan (the document-reuse tests).
KK_FORM = {
    "fields": [
        {"key": "child_name", "type": "text", "label": {"id": "Nama anak"}, "required": True},
        {"key": "kk_scan", "type": "file", "label": {"id": "Kartu Keluarga"},
         "document_type": "kartu-keluarga", "required": True},
    ]
}  # fmt: skip


def demo_process(slug: str) -> dict:
    processes = json.loads(PROCESSES.read_text(encoding="utf-8"))["processes"]
    return next(p for p in processes if p["slug"] == slug)["definition"]


@pytest.fixture
def applicant(db):
    user = account_services.ensure_user(
        username="warga-siti", password="x", email="siti@example.id"
    )
    attach_citizen(
        user=user, nik=NIK, full_name="Siti Aminah", birth_date=datetime.date(1990, 8, 17), sex="F"
    )
    return user


@pytest.fixture
def standard_process(db):
    return save_process(
        actor=None, slug="standar", template=None, definition=demo_process("standar")
    ).process


@pytest.fixture
def akta_form(akta):
    return FormDefinition.objects.create(
        template=akta, number=1, status=FormDefinition.Status.PUBLISHED, definition=SIMPLE_FORM
    )


@pytest.fixture
def make_officer(db):
    """make_officer(role, agency=None, region="35.10") -> a user with that grant."""
    counter = iter(range(1, 10_000))

    def make(role=Role.AGENCY_OFFICER, agency=None, region="35.10"):
        user = account_services.ensure_user(
            username=f"petugas-{next(counter)}", password="x", first_name="Petugas"
        )
        account_services.grant_role(
            user=user, role=role, region_code=region, agency_id=agency.pk if agency else None
        )
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        return user

    return make


@pytest.fixture
def akta_ready(akta_offering, akta_form, standard_process):
    """An akta kelahiran offering in Banyuwangi that can take applications."""
    return akta_offering


def atomic_lock(application_id, **kwargs):
    from mpp.workflow import engine

    with transaction.atomic():
        return engine.lock(application_id, **kwargs)


def serve(officer, citizen):
    """A counter officer looks the walk-in citizen up by NIK, as the counter page does first."""
    from mpp.cases import counter

    return counter.find_citizen(officer=officer, nik=citizen.nik)
