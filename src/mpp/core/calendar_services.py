"""Every change to the working calendar's overrides goes through here (admin, commands, tests).

Only national admins (or the system, `actor=None`) change the calendar: a decree's cuti bersama
and a region's closure alike are set nationally, where the decrees are read.
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mpp.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mpp.core.models import CalendarOverride
from mpp.core.roles import Role
from mpp.core.tenancy import roles_of
from mpp.regions.models import Region


def _require_national_admin(actor: Any | None) -> None:
    if actor is not None and Role.NATIONAL_ADMIN not in roles_of(actor):
        raise Forbidden(_("Hanya admin nasional yang boleh mengubah kalender kerja."))


def save_calendar_override(
    *,
    actor: Any | None,
    override_id: int | None = None,
    day: datetime.date,
    region_code: str | None,
    is_working_day: bool,
    reason: str,
) -> CalendarOverride:
    """Add an override, or change the one `override_id` names. Takes effect without a restart."""
    _require_national_admin(actor)
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("Tuliskan alasan atau dasar hukumnya."), field="reason")
    if region_code is not None and not Region.objects.filter(code=region_code).exists():
        raise InvalidInput(_("Wilayah tidak dikenal."), field="region")
    with transaction.atomic():
        clash = CalendarOverride.objects.filter(date=day, region_id=region_code)
        if override_id is not None:
            clash = clash.exclude(pk=override_id)
        if clash.exists():
            raise Conflict(_("Tanggal ini sudah mempunyai pengecualian di wilayah itu."))
        fields = {
            "date": day,
            "region_id": region_code,
            "is_working_day": is_working_day,
            "reason": reason,
        }
        if override_id is None:
            return CalendarOverride.objects.create(**fields)
        override = CalendarOverride.objects.select_for_update().filter(pk=override_id).first()
        if override is None:
            raise NotFound(_("Pengecualian kalender tidak ditemukan."))
        for name, value in fields.items():
            setattr(override, name, value)
        override.save()
        return override


def delete_calendar_override(*, actor: Any | None, override_id: int) -> None:
    _require_national_admin(actor)
    override = CalendarOverride.objects.filter(pk=override_id).first()
    if override is None:
        raise NotFound(_("Pengecualian kalender tidak ditemukan."))
    override.delete()  # post_delete tells the calendar
