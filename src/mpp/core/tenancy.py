"""Tenancy: the one place that decides which regions (and agencies) an actor may read or change.

Every regional read for staff goes through `for_actor`, every regional write through
`require_region`. A national admin holds the nation; everybody else holds the regions
their grants name, and only for the permissions their role carries. Agency roles are bound
further to the one agency their grant names (`agencies_for`).
"""

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from mpp.core.errors import Forbidden
from mpp.core.roles import AGENCY_ROLES, NATIONWIDE_ROLES, ROLE_PERMISSIONS, Role

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class HeldGrant:
    """One role grant as tenancy sees it: the role, its kabupaten/kota and its agency."""

    role: Role
    region: str | None
    agency: int | None


@dataclass(frozen=True)
class Scope:
    everywhere: bool
    regions: frozenset[str]
    # Agencies the actor's agency-bound grants name; empty = not agency-bound.
    agencies: frozenset[int] = frozenset()

    def allows(self, region_code: str) -> bool:
        return self.everywhere or region_code in self.regions

    @property
    def reaches_any(self) -> bool:
        return self.everywhere or bool(self.regions)


NOWHERE = Scope(everywhere=False, regions=frozenset())


def _grants(user: Any) -> list[HeldGrant]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_mpp_grants", None)
    if cached is None:
        cached = [HeldGrant(Role(g.role), g.region_id, g.agency_id) for g in user.role_grants.all()]
        user._mpp_grants = cached
    return cached


def held_grants(user: Any) -> list[HeldGrant]:
    """Every grant of an active, signed-in user, read once per user object."""
    return _grants(user)


def grants_for(user: Any, permission: str) -> list[HeldGrant]:
    """The user's grants whose role carries `permission`: for rules finer than a region."""
    return [g for g in _grants(user) if permission in ROLE_PERMISSIONS[g.role]]


def roles_of(user: Any) -> frozenset[Role]:
    """The roles a user holds; any signed-in user is also a citizen."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset({Role.CITIZEN, *(grant.role for grant in _grants(user))})


def scope_for(user: Any, permission: str) -> Scope:
    regions: set[str] = set()
    agencies: set[int] = set()
    for grant in grants_for(user, permission):
        if grant.role in NATIONWIDE_ROLES:
            return Scope(everywhere=True, regions=frozenset())
        if grant.region:
            regions.add(grant.region)
        if grant.role in AGENCY_ROLES and grant.agency is not None:
            agencies.add(grant.agency)
    if not regions:
        return NOWHERE
    return Scope(everywhere=False, regions=frozenset(regions), agencies=frozenset(agencies))


def agencies_for(user: Any, permission: str) -> frozenset[int] | None:
    """The agencies `user` acts for under `permission`: None means every agency of the regions
    in scope (a national admin or a regional manager); a set (maybe empty) means only those.

    A user holding both kinds of grant gets None; code that must tell the regions of one grant
    from those of another (staff management) reads `grants_for` instead.
    """
    held = grants_for(user, permission)
    if any(grant.role not in AGENCY_ROLES for grant in held):
        return None
    return frozenset(grant.agency for grant in held if grant.agency is not None)


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
