"""Roles and what each may do. Grants live in accounts (StaffRole); this is the table they read."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("Admin nasional")
    REGIONAL_MANAGER = "regional_manager", _("Pengelola MPP daerah")
    AGENCY_ADMIN = "agency_admin", _("Admin instansi")
    AGENCY_OFFICER = "agency_officer", _("Petugas instansi")
    COUNTER_OFFICER = "counter_officer", _("Petugas loket")
    CITIZEN = "citizen", _("Warga")


class Perm:
    """Permission names, one constant each so a typo fails at import, not at run time."""

    VIEW_SITES = "regions.view_sites"  # every MPP site of a region, drafts included
    MANAGE_SITES = "regions.manage_sites"  # add and change a region's MPP sites
    MANAGE_OFFERINGS = "catalog.manage_offerings"  # a region's offerings and agencies
    MANAGE_TEMPLATES = "catalog.manage_templates"  # national templates and their versions
    MANAGE_STAFF = "accounts.manage_staff"  # create officers and admins, revoke their grants
    MANAGE_INTEGRATIONS = "integrations.manage"  # agency endpoints, delivery log, replay


STAFF_ROLES = frozenset(Role) - {Role.CITIZEN}
NATIONWIDE_ROLES = frozenset({Role.NATIONAL_ADMIN})
AGENCY_ROLES = frozenset({Role.AGENCY_ADMIN, Role.AGENCY_OFFICER})  # their grants name an agency
ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.NATIONAL_ADMIN: frozenset(
        {
            Perm.VIEW_SITES,
            Perm.MANAGE_SITES,
            Perm.MANAGE_OFFERINGS,
            Perm.MANAGE_TEMPLATES,
            Perm.MANAGE_STAFF,
            Perm.MANAGE_INTEGRATIONS,
        }
    ),
    Role.REGIONAL_MANAGER: frozenset(
        {
            Perm.VIEW_SITES,
            Perm.MANAGE_SITES,
            Perm.MANAGE_OFFERINGS,
            Perm.MANAGE_STAFF,
            Perm.MANAGE_INTEGRATIONS,
        }
    ),
    Role.AGENCY_ADMIN: frozenset({Perm.VIEW_SITES, Perm.MANAGE_STAFF, Perm.MANAGE_INTEGRATIONS}),
    Role.AGENCY_OFFICER: frozenset({Perm.VIEW_SITES}),
    Role.COUNTER_OFFICER: frozenset({Perm.VIEW_SITES}),
    Role.CITIZEN: frozenset(),
}
