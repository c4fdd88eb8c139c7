"""Every change to accounts and role grants goes through here."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from mpp.accounts.models import RoleGrant, User
from mpp.catalog.models import Agency
from mpp.core.errors import InvalidInput, NotFound
from mpp.core.roles import AGENCY_ROLES, Role
from mpp.regions.models import Region

# Roles that work in the Django admin (regional configuration); the others use the staff pages.
ADMIN_SITE_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.REGIONAL_MANAGER, Role.AGENCY_ADMIN})


def check_role(role: str) -> Role:
    if role not in Role.values or role == Role.CITIZEN:
        raise InvalidInput(_("Peran tidak dikenal."), field="role")
    return Role(role)


def agency_in_region(*, agency_id: int, region_code: str) -> Agency:
    """The agency, which must sit in the region or serve it (404 unknown, 400 elsewhere)."""
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise NotFound(_("Instansi tidak ditemukan."))
    serves = agency.region_id == region_code or (
        Agency.objects.filter(pk=agency.pk, service_area__code=region_code).exists()
    )
    if not serves:
        raise InvalidInput(
            _("Instansi ini tidak melayani kabupaten/kota %(code)s.") % {"code": region_code},
            field="agency",
        )
    return agency


@transaction.atomic
def grant_role(
    *, user: User, role: str, region_code: str | None, agency_id: int | None = None
) -> RoleGrant:
    """Give `user` a staff role, nationwide for national admins, else in one kabupaten/kota;
    an agency admin's or agency officer's grant names an agency of that region.

    Grants of agency roles without an agency (made before agencies were named) act for no
    agency; `mpp.accounts.staff.create_staff`, the way people make staff, requires one.
    """
    checked = check_role(role)
    if checked == Role.NATIONAL_ADMIN:
        if region_code:
            raise InvalidInput(_("Admin nasional tidak terikat wilayah."), field="region")
        region = None
    else:
        region = Region.objects.filter(code=region_code or "", level=Region.Level.KABKOTA).first()
        if region is None:
            raise NotFound(_("Kabupaten/kota untuk peran ini tidak ditemukan."))
    agency = None
    if agency_id is not None:
        if checked not in AGENCY_ROLES or region is None:
            raise InvalidInput(_("Peran ini tidak terikat instansi."), field="agency")
        agency = agency_in_region(agency_id=agency_id, region_code=region.code)
        # A grant from before agencies were named gets its agency instead of a second grant.
        RoleGrant.objects.filter(
            user=user, role=checked, region=region, agency__isnull=True
        ).update(agency=agency)
    grant, _created = RoleGrant.objects.get_or_create(
        user=user, role=checked, region=region, agency=agency
    )
    if checked in ADMIN_SITE_ROLES and not user.is_staff:
        User.objects.filter(pk=user.pk).update(is_staff=True)
        user.is_staff = True
    return grant


@transaction.atomic
def remove_grant(*, grant: RoleGrant) -> None:
    """Take a grant away; without any admin-site role left the user leaves the admin too."""
    user = grant.user
    grant.delete()
    still_admin = RoleGrant.objects.filter(
        Q(user=user) & Q(role__in=[r.value for r in ADMIN_SITE_ROLES])
    ).exists()
    if user.is_staff and not still_admin and not user.is_superuser:
        User.objects.filter(pk=user.pk).update(is_staff=False)
    user.__dict__.pop("_mpp_grants", None)


@transaction.atomic
def ensure_user(*, username: str, password: str, **fields: Any) -> User:
    """Create the user if missing (idempotent); an existing user keeps its password."""
    model = get_user_model()
    user = model.objects.filter(username=username).first()
    if user is None:
        user = model.objects.create_user(username=username, password=password, **fields)
    return user
