"""Every change to the catalogue goes through here."""

from mpp.catalog.services.imports import process_import, start_import
from mpp.catalog.services.offerings import (
    ChannelSpec,
    OnboardResult,
    check_offering,
    ensure_agency,
    onboard_region,
    save_offering,
    update_agency,
)
from mpp.catalog.services.standards import (
    create_draft_version,
    missing_public_components,
    publish_version,
    refresh_current_version,
    save_template,
    set_requirements,
    update_draft_version,
)

__all__ = [
    "ChannelSpec",
    "OnboardResult",
    "check_offering",
    "create_draft_version",
    "ensure_agency",
    "missing_public_components",
    "onboard_region",
    "process_import",
    "publish_version",
    "refresh_current_version",
    "save_offering",
    "save_template",
    "set_requirements",
    "start_import",
    "update_agency",
    "update_draft_version",
]
