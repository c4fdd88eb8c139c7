"""Every change to integrations: agency endpoints (register, change, rotate the secret) and
replaying dead events. Agency admins manage their own agency's endpoints; regional managers
those of their region's agencies; national admins all. Anything outside that is a 404."""

import ipaddress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.catalog.models import Agency
from mpp.core.crypto import encrypt
from mpp.core.errors import Conflict, InvalidInput, NotFound
from mpp.core.roles import Perm
from mpp.core.tenancy import agencies_for, scope_for
from mpp.integrations.models import EVENT_TYPES, Endpoint, OutboxEvent
from mpp.integrations.signing import new_secret

KNOWN_TYPES = {slug for slug, _label in EVENT_TYPES}


@dataclass(frozen=True)
class Registered:
    endpoint: Endpoint
    secret: str  # shown once; only its ciphertext is kept


def managed_agencies(user: Any) -> QuerySet[Agency]:
    """The agencies whose integrations `user` may manage."""
    scope = scope_for(user, Perm.MANAGE_INTEGRATIONS)
    agencies = Agency.objects.all()
    if not scope.everywhere:
        agencies = agencies.filter(region_id__in=scope.regions)
    bound = agencies_for(user, Perm.MANAGE_INTEGRATIONS)
    if bound is not None:
        agencies = agencies.filter(pk__in=bound)
    return agencies


def _agency(user: Any, agency_id: int) -> Agency:
    agency = managed_agencies(user).filter(pk=agency_id).first()
    if agency is None:
        raise NotFound(_("Instansi tidak ditemukan."))
    return agency


def _endpoint(user: Any, endpoint_id: int) -> Endpoint:
    endpoint = (
        Endpoint.objects.select_for_update()
        .filter(pk=endpoint_id, agency__in=managed_agencies(user))
        .first()
    )
    if endpoint is None:
        raise NotFound(_("Titik integrasi tidak ditemukan."))
    return endpoint


def _clean(url: str, event_types: list[str]) -> tuple[str, list[str]]:
    url = (url or "").strip()
    parts = urlsplit(url)
    allowed = {"https"} if settings.MPP_HTTPS else {"https", "http"}
    if parts.scheme not in allowed or not parts.hostname or len(url) > 500:
        raise InvalidInput(
            _("Alamat penerima harus URL %(schemes)s yang lengkap.")
            % {"schemes": "/".join(sorted(allowed))},
            field="url",
        )
    if not settings.MPP_OUTBOX_PRIVATE_HOSTS and _private_host(parts.hostname or ""):
        raise InvalidInput(
            _("Alamat penerima harus alamat publik, bukan jaringan internal atau localhost."),
            field="url",
        )
    unknown = sorted(set(event_types) - KNOWN_TYPES)
    if unknown or not event_types:
        raise InvalidInput(
            _("Pilih jenis kejadian yang dikenal: %(types)s.")
            % {"types": ", ".join(sorted(KNOWN_TYPES))},
            field="event_types",
        )
    return url, sorted(set(event_types))


def _private_host(host: str) -> bool:
    """Loopback, private, link-local or reserved: an admin must not aim the delivery worker at
    the platform's own network (its answers are shown on the log page). Names are not resolved
    here (no network call in a request); production egress should also go through a proxy."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith((".localhost", ".internal", ".local")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


@transaction.atomic
def register_endpoint(
    *, user: Any, agency_id: int, name: str, url: str, event_types: list[str]
) -> Registered:
    agency = _agency(user, agency_id)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput(_("Nama wajib diisi (maksimal 100 karakter)."), field="name")
    url, event_types = _clean(url, event_types)
    secret = new_secret()
    endpoint = Endpoint.objects.create(
        agency=agency,
        name=name,
        url=url,
        event_types=event_types,
        secret_cipher=encrypt(secret),
    )
    return Registered(endpoint=endpoint, secret=secret)


@transaction.atomic
def update_endpoint(
    *, user: Any, endpoint_id: int, url: str, event_types: list[str], is_active: bool
) -> Endpoint:
    endpoint = _endpoint(user, endpoint_id)
    endpoint.url, endpoint.event_types = _clean(url, event_types)
    endpoint.is_active = is_active
    endpoint.save(update_fields=["url", "event_types", "is_active"])
    return endpoint


@transaction.atomic
def rotate_secret(*, user: Any, endpoint_id: int) -> Registered:
    endpoint = _endpoint(user, endpoint_id)
    secret = new_secret()
    endpoint.secret_cipher = encrypt(secret)
    endpoint.save(update_fields=["secret_cipher"])
    return Registered(endpoint=endpoint, secret=secret)


@transaction.atomic
def replay_event(*, user: Any, event_id: int) -> OutboxEvent:
    """Send a dead event again, from a fresh retry window; the log keeps the earlier tries."""
    event = (
        OutboxEvent.objects.select_for_update()
        .filter(pk=event_id, endpoint__agency__in=managed_agencies(user))
        .first()
    )
    if event is None:
        raise NotFound(_("Kejadian tidak ditemukan."))
    if event.status != OutboxEvent.Status.DEAD:
        raise Conflict(_("Hanya kejadian yang gagal terkirim yang dapat dikirim ulang."))
    now = timezone.now()
    event.status = OutboxEvent.Status.PENDING
    event.retry_from = event.next_attempt_at = now
    event.replayed_by = user
    event.save(update_fields=["status", "retry_from", "next_attempt_at", "replayed_by"])
    return event
