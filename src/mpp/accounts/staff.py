"""Officers and admins, made by admins within their own scope (issue 4, item 9).

Who may make or unmake whom:
- a national admin: every staff role, everywhere;
- a regional manager: every role but national admin, in the kabupaten/kota of their grant;
- an agency admin: agency officers of their own agency only.
New staff get no password: an e-mail carries a one-time link to set one, and at first sign-in
StaffSecondFactorMiddleware makes them enrol an authenticator app before anything else.
"""

from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from mpp.accounts import services
from mpp.accounts.models import RoleGrant, User
from mpp.catalog.models import Agency
from mpp.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mpp.core.roles import AGENCY_ROLES, STAFF_ROLES, Perm, Role
from mpp.core.tenancy import grants_for
from mpp.notifications.services import queue_message


def may_manage(actor: Any, *, role: str, region_code: str | None, agency_id: int | None) -> bool:
    """Whether `actor` may create, or revoke, a grant of `role` in that region and agency."""
    for held in grants_for(actor, Perm.MANAGE_STAFF):
        if held.role == Role.NATIONAL_ADMIN:
            return True
        regional = held.role == Role.REGIONAL_MANAGER and region_code == held.region
        if regional and role != Role.NATIONAL_ADMIN:
            return True
        own_agency = held.role == Role.AGENCY_ADMIN and held.agency and agency_id == held.agency
        if own_agency and role == Role.AGENCY_OFFICER:
            return True
    return False


def assignable_roles(actor: Any) -> list[Role]:
    """The roles `actor` may hand out somewhere, in the order of the Role table."""
    held = {grant.role for grant in grants_for(actor, Perm.MANAGE_STAFF)}
    if Role.NATIONAL_ADMIN in held:
        return [r for r in Role if r in STAFF_ROLES]
    if Role.REGIONAL_MANAGER in held:
        return [r for r in Role if r in STAFF_ROLES and r != Role.NATIONAL_ADMIN]
    if Role.AGENCY_ADMIN in held:
        return [Role.AGENCY_OFFICER]
    return []


def require_staff_manager(actor: Any) -> None:
    if not grants_for(actor, Perm.MANAGE_STAFF):
        raise Forbidden(_("Anda tidak berwenang mengelola petugas."))


def list_staff(*, actor: Any, region_code: str | None = None) -> QuerySet[RoleGrant]:
    """The grants `actor` may manage (each one a row on the staff page), optionally of one
    kabupaten/kota; 403 for people who manage nobody."""
    require_staff_manager(actor)
    visible = Q(pk__in=[])
    for held in grants_for(actor, Perm.MANAGE_STAFF):
        if held.role == Role.NATIONAL_ADMIN:
            visible = Q()
            break
        if held.role == Role.REGIONAL_MANAGER:
            visible |= Q(region_id=held.region)
        elif held.role == Role.AGENCY_ADMIN and held.agency:
            visible |= Q(role=Role.AGENCY_OFFICER, agency_id=held.agency)
    grants = RoleGrant.objects.filter(visible)
    if region_code:
        grants = grants.filter(region_id=region_code)
    return grants.select_related("user", "region", "agency").order_by(
        "region_id", "role", "user__username"
    )


def staff_regions(actor: Any) -> list[str] | None:
    """The kabupaten/kota codes `actor` manages staff in; None for the whole nation."""
    held = grants_for(actor, Perm.MANAGE_STAFF)
    if any(grant.role == Role.NATIONAL_ADMIN for grant in held):
        return None
    return sorted({grant.region for grant in held if grant.region})


def agency_choices(*, actor: Any, region_code: str) -> list[Agency]:
    """Agencies a new agency admin or officer in that region may be given by `actor`."""
    if not region_code:
        return []
    agencies = Agency.objects.filter(
        Q(region_id=region_code) | Q(service_area__code=region_code), is_active=True
    ).distinct()
    held = grants_for(actor, Perm.MANAGE_STAFF)
    whole_region = any(
        g.role == Role.NATIONAL_ADMIN
        or (g.role == Role.REGIONAL_MANAGER and g.region == region_code)
        for g in held
    )
    if not whole_region:
        own = [g.agency for g in held if g.role == Role.AGENCY_ADMIN and g.agency]
        agencies = agencies.filter(pk__in=own)
    return list(agencies.order_by("name"))


def _clean_username(raw: str) -> str:
    username = (raw or "").strip()
    try:
        if not username or len(username) > 150:
            raise ValidationError("length")
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise InvalidInput(
            _("Nama pengguna 1–150 karakter: huruf, angka, dan @ . + - _ saja."), field="username"
        ) from None
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("Nama pengguna ini sudah dipakai."), field="username")
    return username


def _clean_email(raw: str) -> str:
    email = (raw or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(_("Alamat e-mail tidak sah."), field="email") from None
    if User.objects.filter(email=email, is_active=True).exists():
        raise Conflict(_("E-mail ini sudah dipakai akun lain."), field="email")
    return email


def set_password_path(user: User) -> str:
    """A one-time link: Django's reset token stops working once a password is set."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:set_password", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def create_staff(
    *,
    actor: Any,
    username: str,
    full_name: str,
    email: str,
    role: str,
    region_code: str | None,
    agency_id: int | None,
    site_url: str = "",
) -> User:
    """Make an officer or admin account with one grant and e-mail a link to set its password.

    Refuses a bad role (400), a grant outside the actor's scope (403), an unknown region or
    agency (404), an agency outside the region (400); nothing is written then."""
    checked = services.check_role(role)
    region_code = None if checked == Role.NATIONAL_ADMIN else (region_code or "").strip()
    if checked in AGENCY_ROLES and agency_id is None:
        raise InvalidInput(_("Pilih instansi untuk peran ini."), field="agency")
    if checked not in AGENCY_ROLES and agency_id is not None:
        raise InvalidInput(_("Peran ini tidak terikat instansi."), field="agency")
    if not may_manage(actor, role=checked, region_code=region_code, agency_id=agency_id):
        raise Forbidden(_("Anda tidak berwenang memberi peran ini di wilayah atau instansi ini."))
    name = (full_name or "").strip()
    if not name or len(name) > 150:
        raise InvalidInput(
            _("Nama lengkap wajib diisi (maksimal 150 karakter)."), field="full_name"
        )
    user = User(username=_clean_username(username), email=_clean_email(email), first_name=name)
    user.set_unusable_password()
    user.save()
    services.grant_role(user=user, role=checked, region_code=region_code, agency_id=agency_id)
    link = site_url.rstrip("/") + set_password_path(user)
    queue_message(
        channel="email",
        destination=user.email,
        subject=_("Akun petugas MPP Digital Anda"),
        body=_(
            "Halo %(name)s,\n\nAkun petugas MPP Digital dibuat untuk Anda (nama pengguna: "
            "%(username)s). Buat kata sandi melalui tautan sekali pakai ini:\n%(link)s\n\n"
            "Saat masuk pertama kali Anda diminta memasang aplikasi autentikator "
            "(verifikasi dua langkah). Abaikan e-mail ini bila Anda tidak mengharapkannya."
        )
        % {"name": name, "username": user.username, "link": link},
    )
    return user


@transaction.atomic
def revoke_grant(*, actor: Any, grant_id: int) -> None:
    """Take a role away from a member of staff within the actor's scope; never one's own."""
    grant = RoleGrant.objects.select_for_update().select_related("user").filter(pk=grant_id).first()
    if grant is None:
        raise NotFound(_("Peran petugas tidak ditemukan."))
    if not may_manage(
        actor, role=grant.role, region_code=grant.region_id, agency_id=grant.agency_id
    ):
        raise Forbidden(_("Anda tidak berwenang mencabut peran ini."))
    if grant.user_id == getattr(actor, "pk", None):
        raise InvalidInput(_("Anda tidak dapat mencabut peran Anda sendiri."), field="grant")
    services.remove_grant(grant=grant)
