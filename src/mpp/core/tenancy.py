"""Tenancy: the one place that decides which regions an actor may read or change.

Every regional read for staff goes through `for_actor`, every regional write through
`require_region`. A national admin holds the nation; everybody else holds the regions
their grants name, and only for the permissions their role carries.
"""

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from mpp.core.errors import Forbidden
from mpp.core.roles import NATIONWIDE_ROLES, ROLE_PERMISSIONS, Role

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    everywhere: bool
    regions: frozenset[str]

    def allows(self, region_code: str) -> bool:
        return self.everywhere or region_code in self.regions

    @property
    def reaches_any(self) -> bool:
        return self.everywhere or bool(self.regions)


NOWHERE = Scope(everywhere=False, regions=frozenset())


def _grants(user: Any) -> list[tuple[Role, str | None]]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_mpp_grants", None)
    if cached is None:
        cached = [(Role(g.role), g.region_id) for g in user.role_grants.all()]
        user._mpp_grants = cached
    return cached


def roles_of(user: Any) -> frozenset[Role]:
    """The roles a user holds; any signed-in user is also a citizen."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset({Role.CITIZEN, *(role for role, _region in _grants(user))})


def scope_for(user: Any, permission: str) -> Scope:
    regions: set[str] = set()
    for role, region in _grants(user):
        if permission not in ROLE_PERMISSIONS[role]:
            continue
        if role in NATIONWIDE_ROLES:
            return Scope(everywhere=True, regions=frozenset())
        if region:
            regions.add(region)
    return Scope(everywhere=False, regions=frozenset(regions)) if regions else NOWHERE


def for_actor(
    queryset: QuerySet[M], user: Any, *, permission: str, region_field: str = "region"
) -> QuerySet[M]:
    """Narrow a queryset of regional rows to what `user` may see under `permission`."""
    scope = scope_for(user, permission)
    if scope.everywhere:
        return queryset
    if not scope.regions:
        return queryset.none()
    return queryset.filter(**{f"{region_field}__in": scope.regions})


def require_region(user: Any, permission: str, region_code: str) -> None:
    """Refuse (403) an action on a region the user holds no grant for."""
    if not scope_for(user, permission).allows(region_code):
        raise Forbidden(_("Anda tidak berwenang untuk wilayah ini."))
