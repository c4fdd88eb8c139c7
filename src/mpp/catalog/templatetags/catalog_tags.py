from django import template
from django.utils.translation import gettext as _

from mpp.catalog.models import format_duration

register = template.Library()


@register.filter
def rupiah(amount: int | None) -> str:
    """350000 -> "Rp350.000"; 0 -> "Gratis"; None -> set by the regulation named beside it."""
    if amount is None:
        return _("Menurut ketentuan")
    if amount == 0:
        return _("Gratis")
    return "Rp" + f"{amount:,}".replace(",", ".")


@register.simple_tag
def duration(value: int | None, unit: str) -> str:
    return format_duration(value, unit)
