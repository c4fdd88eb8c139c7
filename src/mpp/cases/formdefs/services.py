"""Every change to form definitions and regional form extensions (house rule: one way in).

Published definitions never change; a change is a new draft, published as the next number.
"""

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.cases.formdefs.definition import validate_definition, validate_extension
from mpp.cases.formdefs.queries import get_published_form
from mpp.cases.models import FormDefinition, OfferingFormExtension
from mpp.catalog.models import Offering, ServiceTemplate
from mpp.core.errors import Conflict, Forbidden
from mpp.core.roles import Perm
from mpp.core.tenancy import require_region, scope_for


def _require_national_admin(actor: Any | None) -> None:
    """`actor=None` is the platform itself (demo data, commands)."""
    if actor is not None and not scope_for(actor, Perm.MANAGE_TEMPLATES).everywhere:
        raise Forbidden(_("Hanya admin nasional yang dapat mengubah formulir layanan nasional."))


def _next_number(template: ServiceTemplate) -> int:
    ServiceTemplate.objects.select_for_update().filter(pk=template.pk).first()
    latest = FormDefinition.objects.filter(template=template).aggregate(n=Max("number"))["n"]
    return (latest or 0) + 1


@transaction.atomic
def save_draft_form_definition(
    *, actor: Any | None, template: ServiceTemplate, definition: dict[str, Any]
) -> FormDefinition:
    """Create the template's draft, or replace the definition of the draft it already has."""
    _require_national_admin(actor)
    validate_definition(definition)
    draft = (
        FormDefinition.objects.select_for_update()
        .filter(template=template, status=FormDefinition.Status.DRAFT)
        .first()
    )
    if draft is None:
        return FormDefinition.objects.create(
            template=template, number=_next_number(template), definition=definition
        )
    draft.definition = definition
    draft.save(update_fields=["definition"])
    return draft


@transaction.atomic
def publish_form_definition(
    *, actor: Any | None, form_definition: FormDefinition
) -> FormDefinition:
    _require_national_admin(actor)
    draft = FormDefinition.objects.select_for_update().get(pk=form_definition.pk)
    if draft.status != FormDefinition.Status.DRAFT:
        raise Conflict(_("Formulir ini sudah terbit dan tidak dapat diubah."))
    validate_definition(draft.definition)
    draft.status = FormDefinition.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.save(update_fields=["status", "published_at"])
    return draft


@transaction.atomic
def save_form_extension(
    *, actor: Any | None, offering: Offering, fields: list[dict[str, Any]]
) -> OfferingFormExtension:
    """The fields a region adds to the national form of one of its offerings."""
    if actor is not None:
        require_region(actor, Perm.MANAGE_OFFERINGS, offering.region_id)
    national = get_published_form(template_id=offering.template_id)
    validate_extension(national.definition if national else None, fields)
    extension, _created = OfferingFormExtension.objects.update_or_create(
        offering=offering, defaults={"region_id": offering.region_id, "fields": fields}
    )
    return extension
