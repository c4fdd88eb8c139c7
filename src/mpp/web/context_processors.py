from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mpp.core.roles import ROLE_PERMISSIONS, STAFF_ROLES, Perm, Role

StrOrPromise = str | Promise

# (URL name, label, roles that see it), in header order.
STAFF_LINKS = [
    ("cases_officer:queue", _("Antrean kerja"), STAFF_ROLES),
    ("cases_counter:home", _("Loket"), {Role.COUNTER_OFFICER}),
    (
        "integrations:endpoints",
        _("Integrasi"),
        {role for role, perms in ROLE_PERMISSIONS.items() if Perm.MANAGE_INTEGRATIONS in perms},
    ),
    (
        "accounts:staff",
        _("Petugas"),
        {role for role, perms in ROLE_PERMISSIONS.items() if Perm.MANAGE_STAFF in perms},
    ),
]


def site(request: HttpRequest) -> dict[str, object]:
    return {"MPP_DEMO": settings.MPP_DEMO, "staff_links": _staff_links(request)}


def _staff_links(request: HttpRequest) -> list[tuple[str, StrOrPromise]]:
    """Work pages for the roles remembered at sign-in (see accounts.apps); no query."""
    session = getattr(request, "session", None)
    held = set(session.get("mpp_roles", ())) if session is not None else set()
    if not held & set(STAFF_ROLES):
        return []
    links: list[tuple[str, StrOrPromise]] = []
    for name, label, roles in STAFF_LINKS:
        if held & set(roles):
            try:
                links.append((reverse(name), label))
            except NoReverseMatch:  # the page's app is not installed in this deployment
                continue
    return links
