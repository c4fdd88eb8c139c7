"""Changes to process definitions. A definition in use is never edited: saving a changed one
adds a new version, and running applications keep the version they started on."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from mpp.catalog.models import ServiceTemplate
from mpp.core.errors import Forbidden
from mpp.core.roles import Perm
from mpp.core.tenancy import scope_for
from mpp.workflow.definition import parse
from mpp.workflow.models import ProcessDefinition


@dataclass(frozen=True)
class SavedProcess:
    process: ProcessDefinition
    created: bool


@transaction.atomic
def save_process(
    *, actor: Any | None, slug: str, template: ServiceTemplate | None, definition: dict
) -> SavedProcess:
    """Check the definition and store it as the newest version of `slug` (unless unchanged)."""
    if actor is not None and not scope_for(actor, Perm.MANAGE_TEMPLATES).everywhere:
        raise Forbidden(_("Hanya admin nasional yang dapat mengubah alur kerja."))
    parse(definition)
    latest = ProcessDefinition.objects.filter(slug=slug).order_by("-number").first()
    if (
        latest is not None
        and latest.definition == definition
        and latest.template_id == (template.pk if template else None)
    ):
        return SavedProcess(latest, created=False)
    number = (ProcessDefinition.objects.filter(slug=slug).aggregate(n=Max("number"))["n"] or 0) + 1
    process = ProcessDefinition.objects.create(
        slug=slug, number=number, template=template, definition=definition
    )
    ProcessDefinition.objects.filter(slug=slug).exclude(pk=process.pk).update(is_active=False)
    return SavedProcess(process, created=True)
