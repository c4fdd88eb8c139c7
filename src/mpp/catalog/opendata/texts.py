"""The human-readable descriptions of a service, a cost and a channel (Indonesian and English).

CPSV-AP has no property for some of what a Standar Pelayanan says (a tariff's legal basis, the
unit "working days", the region's note), so it is written here; `reading` reads parts back.
"""

from typing import Any

from mpp.catalog.opendata.facts import ChannelFacts, ServiceFacts
from mpp.catalog.opendata.vocab import (
    DEMO_EN,
    DEMO_ID,
    DURATIONS,
    LEGAL_BASIS_ID,
    NOTES_ID,
    TIME_ID,
    WORKING_DAYS_EN,
    WORKING_DAYS_ID,
    iso_duration,
)


def service_descriptions(facts: ServiceFacts) -> tuple[str, str]:
    """Indonesian: name, output, procedure, processing time, the region's note. English: name
    and processing time (the standard itself is published in Indonesian only)."""
    template, version = facts.template, facts.version
    parts_id = [f"{template.name}."]
    parts_en = [f"{template.name_en or template.name}."]
    if version.output.strip():
        parts_id.append(f"Produk layanan: {version.output.strip()}.")
    steps = [str(step).strip() for step in version.procedure if str(step).strip()]
    if steps:
        parts_id.append("Prosedur: " + "; ".join(f"{n}. {s}" for n, s in enumerate(steps, 1)) + ".")
    if facts.duration:
        value, unit = facts.duration
        _iso, word_id, one_en, many_en = DURATIONS[unit]
        time_id = f"{TIME_ID}{value} {word_id}"
        time_en = f"Processing time: {value} {one_en if value == 1 else many_en}"
        if unit == "working_days":
            iso = iso_duration(value, unit)
            time_id += f" ({WORKING_DAYS_ID.format(iso=iso)})"
            time_en += f" ({WORKING_DAYS_EN.format(iso=iso)})"
        if facts.duration_demo:
            time_id, time_en = time_id + DEMO_ID, time_en + DEMO_EN
        parts_id.append(time_id + ".")
        parts_en.append(time_en + ".")
    if facts.notes.strip():
        parts_id.append(f"{NOTES_ID}{facts.notes.strip()}")
    parts_en.append("Requirements, procedure and output are published in Indonesian.")
    return " ".join(parts_id), " ".join(parts_en)


def cost_descriptions(tariff: dict[str, Any], *, demo: bool) -> tuple[str, str]:
    """Amount in Rupiah (0 = free; none when set by the regulation) and its legal basis."""
    amount, basis, label = (
        tariff.get("amount_idr"),
        tariff.get("legal_basis") or "",
        tariff.get("label"),
    )
    if amount is None:
        text_id, text_en = "Besaran ditetapkan menurut peraturan.", "Amount set by regulation."
    elif amount == 0:
        text_id, text_en = "Gratis (Rp0).", "Free of charge (IDR 0)."
    else:
        text_id, text_en = "Rp" + f"{amount:,}".replace(",", ".") + ".", f"IDR {amount:,}."
    text_id, text_en = (
        f"{text_id} {LEGAL_BASIS_ID}{basis}",
        f"{text_en} Legal basis (in Indonesian): {basis}",
    )
    if label:
        text_id, text_en = f"{label}: {text_id}", f"{label}: {text_en}"
    if demo:
        text_id, text_en = text_id + DEMO_ID, text_en + DEMO_EN
    return text_id, text_en


def channel_descriptions(channel: ChannelFacts, label_id: str, label_en: str) -> tuple[str, str]:
    where = "; ".join(part for part in (channel.note, channel.url) if part)
    text_id, text_en = (
        (f"{label_id}: {where}", f"{label_en}: {where}") if where else (label_id, label_en)
    )
    if channel.is_demo:
        text_id, text_en = text_id + DEMO_ID, text_en + DEMO_EN
    return text_id, text_en
