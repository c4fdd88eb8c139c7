"""Every change to accounts and role grants goes through here."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from mpp.accounts.models import RoleGrant, User
from mpp.core.errors import InvalidInput, NotFound
from mpp.core.roles import Role
from mpp.regions.models import Region

# Roles that work in the Django admin (regional configuration); the others use the staff pages.
ADMIN_SITE_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.REGIONAL_MANAGER, Role.AGENCY_ADMIN})


@transaction.atomic
def grant_role(*, user: User, role: str, region_code: str | None) -> RoleGrant:
    """Give `user` a staff role, nationwide for national admins, else in one kabupaten/kota."""
    if role not in Role.values or role == Role.CITIZEN:
        raise InvalidInput(_("Peran tidak dikenal."), field="role")
    if role == Role.NATIONAL_ADMIN:
        if region_code:
            raise InvalidInput(_("Admin nasional tidak terikat wilayah."), field="region")
        region = None
    else:
        region = Region.objects.filter(code=region_code or "", level=Region.Level.KABKOTA).first()
        if region is None:
            raise NotFound(_("Kabupaten/kota untuk peran ini tidak ditemukan."))
    grant, _created = RoleGrant.objects.get_or_create(user=user, role=role, region=region)
    if role in ADMIN_SITE_ROLES and not user.is_staff:
        User.objects.filter(pk=user.pk).update(is_staff=True)
        user.is_staff = True
    return grant


@transaction.atomic
def ensure_user(*, username: str, password: str, **fields: Any) -> User:
    """Create the user if missing (idempotent); an existing user keeps its password."""
    model = get_user_model()
    user = model.objects.filter(username=username).first()
    if user is None:
        user = model.objects.create_user(username=username, password=password, **fields)
    return user
