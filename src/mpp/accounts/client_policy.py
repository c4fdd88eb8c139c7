"""Which scopes each agency app may ask for (its registration), checked at every request.

A national admin registers an app and ticks the scopes it may ask for; asking for anything
else is refused with `invalid_scope`, so an app registered without `nik` never gets the NIK.
Apps registered before policies existed (or made in code without one) get DEFAULT_SCOPES:
everything except the NIK.
"""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from oauth2_provider.settings import oauth2_settings

from mpp.accounts.models import ClientPolicy
from mpp.catalog.models import Agency
from mpp.core.errors import InvalidInput, NotFound

SENSITIVE_SCOPES = frozenset({"nik", "agency"})  # only when a registration names them


def known_scopes() -> list[str]:
    return list(oauth2_settings.SCOPES)


def default_scopes() -> frozenset[str]:
    return frozenset(known_scopes()) - SENSITIVE_SCOPES


def allowed_scopes(application: Any) -> frozenset[str]:
    policy = ClientPolicy.objects.filter(application_id=application.pk).first()
    if policy is None:
        return default_scopes()
    return frozenset(policy.allowed_scopes) & frozenset(known_scopes())


def clean_scopes(scopes: list[str]) -> list[str]:
    unknown = sorted(set(scopes) - set(known_scopes()))
    if unknown:
        raise InvalidInput(
            _("Cakupan tidak dikenal: %(scopes)s.") % {"scopes": ", ".join(unknown)},
            field="allowed_scopes",
        )
    if "openid" not in scopes:
        raise InvalidInput(_("Cakupan openid wajib diizinkan."), field="allowed_scopes")
    return [scope for scope in known_scopes() if scope in scopes]  # in the settings' order


@transaction.atomic
def set_client_policy(
    *, application: Any, allowed_scopes: list[str], agency_id: int | None = None
) -> ClientPolicy:
    """Record what an app may ask for (and the agency it belongs to); replaces the old policy."""
    scopes = clean_scopes(allowed_scopes)
    if agency_id is not None and not Agency.objects.filter(pk=agency_id).exists():
        raise NotFound(_("Instansi tidak ditemukan."))
    policy, _created = ClientPolicy.objects.update_or_create(
        application=application, defaults={"allowed_scopes": scopes, "agency_id": agency_id}
    )
    return policy
