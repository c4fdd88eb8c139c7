"""Family members from the family card (KK), and whom the citizen may act for.

The registry's card is the source of truth: after the identity is matched with the registry a
background task copies the card's other members here (`refresh_family`). A citizen may also
declare a member (source "self"), who stays someone they may not act for until the registry
lists them or an officer decides. A parent (head of the family, wife or husband on the card)
may act for their minor children (under 17, the age a KTP-el is issued).
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.models import Citizen, FamilyMember, ProfileValue, Source
from mpp.accounts.nik import check_nik
from mpp.accounts.privacy import record_access
from mpp.core.crypto import decrypt, encrypt, lookup_hash
from mpp.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mpp.core.roles import STAFF_ROLES
from mpp.core.tenancy import roles_of
from mpp.integrations.registry import FamilyRecord, population_registry

Relationship = FamilyMember.Relationship
ADULT_AGE = 17
PARENTS = frozenset({Relationship.HEAD, Relationship.WIFE, Relationship.HUSBAND})


def age_on(birth_date: datetime.date, today: datetime.date) -> int:
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


def parent_may_act(*, own_relationship: str | None, member: FamilyRecord) -> bool:
    """A parent on the card may act for a child on it who is still a minor."""
    return (
        own_relationship in PARENTS
        and member.relationship == Relationship.CHILD
        and age_on(member.birth_date, timezone.localdate()) < ADULT_AGE
    )


def list_family(*, citizen: Citizen) -> list[FamilyMember]:
    return list(citizen.family_members.all())


def acting_for(citizen: Citizen, member_id: int) -> FamilyMember:
    """The family member `citizen` acts for (an application on a child's behalf); 403 unless
    the citizen may act for them, 404 if they are not on the citizen's family list."""
    member = citizen.family_members.filter(pk=member_id).first()
    if member is None:
        raise NotFound(_("Anggota keluarga tidak ditemukan."))
    if not member.may_act_for:
        raise Forbidden(_("Anda tidak dapat bertindak atas nama anggota keluarga ini."))
    return member


def _kk_number(citizen: Citizen) -> str:
    stored = ProfileValue.objects.filter(citizen=citizen, key="kk_number").first()
    return decrypt(stored.value_cipher) if stored else ""


@transaction.atomic
def refresh_family(*, citizen_id: int) -> int:
    """Copy the registry's family card: new members added, known ones updated, members who left
    the card removed; self-declared members the card lists become registry members. Returns
    how many members the card gave (0 without a KK number or card). Safe to run twice."""
    citizen = Citizen.objects.select_for_update().filter(pk=citizen_id).first()
    kk_number = _kk_number(citizen) if citizen else ""
    if citizen is None or not kk_number:
        return 0
    records = population_registry().family(kk_number)
    own_hash = citizen.nik_hash
    own = next((r for r in records if lookup_hash("nik", r.nik) == own_hash), None)
    if own is None:  # the card does not list this person: it is not theirs
        return 0
    seen = []
    for record in records:
        nik_hash = lookup_hash("nik", record.nik)
        if nik_hash == own_hash:
            continue
        seen.append(nik_hash)
        FamilyMember.objects.update_or_create(
            citizen=citizen, nik_hash=nik_hash,
            defaults={"nik_cipher": encrypt(record.nik), "full_name": record.full_name,
                      "birth_date": record.birth_date, "sex": record.sex,
                      "relationship": record.relationship, "source": Source.REGISTRY,
                      "may_act_for": parent_may_act(own_relationship=own.relationship, member=record)},
        )  # fmt: skip
    citizen.family_members.filter(source=Source.REGISTRY).exclude(nik_hash__in=seen).delete()
    return len(seen)


@transaction.atomic
def add_family_member(
    *,
    citizen: Citizen,
    nik: str,
    full_name: str,
    birth_date: datetime.date,
    sex: str,
    relationship: str,
) -> FamilyMember:
    """A member the citizen declares: checked like a registration, acted for by no one yet."""
    if relationship not in Relationship.values:
        raise InvalidInput(_("Pilih hubungan keluarga dari daftar."), field="relationship")
    facts = check_nik(nik, birth_date=birth_date, sex=sex)
    name = full_name.strip()
    if not name or len(name) > 150:
        raise InvalidInput(
            _("Nama lengkap wajib diisi (maksimal 150 karakter)."), field="full_name"
        )
    nik_hash = lookup_hash("nik", facts.nik)
    if nik_hash == citizen.nik_hash:
        raise InvalidInput(_("Ini NIK Anda sendiri."), field="nik")
    if citizen.family_members.filter(nik_hash=nik_hash).exists():
        raise Conflict(_("Anggota keluarga dengan NIK ini sudah ada."), field="nik")
    return FamilyMember.objects.create(
        citizen=citizen, nik_cipher=encrypt(facts.nik), nik_hash=nik_hash, full_name=name,
        birth_date=birth_date, sex=sex, relationship=relationship, source=Source.SELF,
        may_act_for=False,
    )  # fmt: skip


@transaction.atomic
def remove_family_member(*, citizen: Citizen, member_id: int) -> None:
    """The citizen takes back a member they declared; the registry's card is not theirs to edit."""
    member = citizen.family_members.filter(pk=member_id).first()
    if member is None:
        raise NotFound(_("Anggota keluarga tidak ditemukan."))
    if member.source != Source.SELF:
        raise InvalidInput(
            _("Anggota dari data kependudukan hanya berubah bila KK berubah."), field="member"
        )
    member.delete()


@transaction.atomic
def set_may_act_for(*, officer: Any, member_id: int, may_act_for: bool) -> FamilyMember:
    """An officer, having seen the documents (a guardianship order, a KK), decides."""
    if not (roles_of(officer) & STAFF_ROLES):
        raise Forbidden(_("Hanya petugas yang dapat menetapkan perwakilan keluarga."))
    member = FamilyMember.objects.select_for_update().filter(pk=member_id).first()
    if member is None:
        raise NotFound(_("Anggota keluarga tidak ditemukan."))
    FamilyMember.objects.filter(pk=member.pk).update(may_act_for=may_act_for)
    member.may_act_for = may_act_for
    record_access(
        citizen=member.citizen, accessor=officer, fields=["family"],
        purpose=_("Menetapkan siapa yang boleh diwakili dalam keluarga"),
    )  # fmt: skip
    return member
