"""Reading form definitions."""

from mpp.cases.models import FormDefinition


def get_published_form(*, template_id: int) -> FormDefinition | None:
    """The form an application for this template is filed on now: the newest published."""
    return (
        FormDefinition.objects.filter(
            template_id=template_id, status=FormDefinition.Status.PUBLISHED
        )
        .order_by("-number")
        .first()
    )
