"""Tracking numbers people can read out at a counter: region, date, sequence, check digit.

    3510-261123-00042-7   Banyuwangi (35.10), 23 Nov 2026, the 42nd of that day, Damm check digit

The Damm check digit catches every single wrong digit and every swap of two neighbours, the
mistakes people make when they copy or dictate a number.
"""

import datetime
import re

from stdnum import damm

_TRACKING = re.compile(r"^(\d{4})-(\d{6})-(\d{5,})-(\d)$")


def tracking_number(region_code: str, day: datetime.date, sequence: int) -> str:
    body = f"{region_code.replace('.', '')}{day:%y%m%d}{sequence:05d}"
    check = damm.calc_check_digit(body)
    return f"{body[:4]}-{body[4:10]}-{body[10:]}-{check}"


def normalise_tracking(raw: str) -> str:
    """Upper/lower case and spaces do not matter; dashes may be typed as spaces or left out."""
    digits = re.sub(r"\D", "", raw or "")
    if len(digits) < 16:
        return (raw or "").strip()
    return f"{digits[:4]}-{digits[4:10]}-{digits[10:-1]}-{digits[-1]}"


def is_valid_tracking(value: str) -> bool:
    match = _TRACKING.match(value or "")
    return match is not None and damm.is_valid("".join(match.groups()))
