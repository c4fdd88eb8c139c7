"""Times as the clock on the wall where the application is: WIB, WITA or WIT.

`{{ application.due_at|region_time:application.region_id|date:"j F Y H:i T" }}`: the pages
otherwise show Jakarta's time everywhere, an hour early in Bali or Kendari and two in Papua.
"""

import datetime

from django import template
from django.templatetags.tz import do_timezone

from mpp.core import calendar

register = template.Library()


@register.filter
def region_time(value: datetime.datetime | None, region_code: str | None) -> object:
    if not isinstance(value, datetime.datetime):
        return value
    try:
        zone = calendar.timezone_for(region_code or None)
    except ValueError:  # not a known province: Jakarta, as everywhere else
        zone = calendar.WIB
    return do_timezone(value, zone)
