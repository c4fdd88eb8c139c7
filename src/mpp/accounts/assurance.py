"""Identity assurance: 1 self-declared, 2 checked in person by an officer, 3 matched against the
population registry (through the PopulationRegistry adapter, in a background task)."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mpp.accounts.models import Citizen, IdentityCheck, Source
from mpp.accounts.privacy import record_access
from mpp.accounts.profile import update_profile
from mpp.core.crypto import lookup_hash
from mpp.core.errors import Forbidden, InvalidInput, NotFound
from mpp.core.roles import STAFF_ROLES
from mpp.core.tenancy import roles_of
from mpp.integrations.registry import population_registry

DOCUMENTS = {"ktp-el", "kk", "akta-kelahiran", "paspor", "suket-dukcapil"}


@transaction.atomic
def verify_in_person(*, officer: Any, nik: str, document: str) -> Citizen:
    """An officer has seen the original document: raise the citizen to level 2 (never lower)."""
    if not (roles_of(officer) & STAFF_ROLES):
        raise Forbidden(_("Hanya petugas yang dapat memverifikasi identitas."))
    if document not in DOCUMENTS:
        raise InvalidInput(
            _("Dokumen harus salah satu dari: %(docs)s.") % {"docs": ", ".join(sorted(DOCUMENTS))},
            field="document",
        )
    digits = "".join(ch for ch in nik if ch.isdigit())
    citizen = (
        Citizen.objects.select_for_update().filter(nik_hash=lookup_hash("nik", digits)).first()
    )
    if citizen is None:
        raise NotFound(_("Tidak ada akun dengan NIK itu."))
    region = next((g.region_id for g in officer.role_grants.all() if g.region_id), None)
    level = max(citizen.assurance_level, Citizen.Assurance.IN_PERSON)
    Citizen.objects.filter(pk=citizen.pk).update(assurance_level=level)
    IdentityCheck.objects.create(
        citizen=citizen, method=IdentityCheck.Method.IN_PERSON, level=Citizen.Assurance.IN_PERSON,
        officer=officer, region_id=region, document=document,
    )  # fmt: skip
    update_profile(
        citizen=citizen,
        changes={"full_name": citizen.full_name},
        actor=officer,
        source=Source.OFFICER,
    )
    record_access(
        citizen=citizen, accessor=officer, purpose=_("Verifikasi identitas dengan dokumen asli"),
        fields=["full_name", "birth_date", "sex", "nik"], region_code=region,
    )  # fmt: skip
    citizen.refresh_from_db()
    return citizen


@transaction.atomic
def check_with_registry(*, citizen_id: int) -> IdentityCheck | None:
    """Match the declared identity with the registry; level 3 and verified vault values on a
    match. Safe to run twice: a citizen already at level 3 is left alone."""
    citizen = Citizen.objects.select_for_update().filter(pk=citizen_id).first()
    if citizen is None or citizen.assurance_level >= Citizen.Assurance.REGISTRY:
        return None
    adapter = population_registry()
    record = adapter.look_up(citizen.nik)
    mismatches = []
    if record is None:
        mismatches = ["nik"]
    else:
        if record.full_name.casefold() != citizen.full_name.casefold():
            mismatches.append("full_name")
        if record.birth_date != citizen.birth_date:
            mismatches.append("birth_date")
        if record.sex != citizen.sex:
            mismatches.append("sex")
    matched = not mismatches
    check = IdentityCheck.objects.create(
        citizen=citizen, method=IdentityCheck.Method.REGISTRY,
        level=Citizen.Assurance.REGISTRY if matched else citizen.assurance_level,
        registry=adapter.name, result={"match": matched, "mismatches": mismatches},
    )  # fmt: skip
    if matched and record is not None:
        Citizen.objects.filter(pk=citizen.pk).update(assurance_level=Citizen.Assurance.REGISTRY)
        update_profile(
            citizen=citizen, actor=None, source=Source.REGISTRY,
            changes={"full_name": record.full_name, "birth_place": record.birth_place, "kk_number": record.kk_number},
        )  # fmt: skip
        from mpp.accounts.tasks import refresh_family_from_registry

        refresh_family_from_registry.enqueue(citizen_id=citizen.pk)  # with this transaction
    return check
