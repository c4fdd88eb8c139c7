"""Prefill from the profile vault: which attributes a form wants (the consent screen lists them)
and the values, each with where it came from."""

from typing import Any

from mpp.cases.formdefs.definition import ADDRESS_PARTS


def _wanted(fields: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str]]:
    # Only top-level fields prefill: validate_definition refuses `prefill` inside a group.
    return [(field, field["prefill"]) for field in fields if field.get("prefill")]


def prefill_keys(fields: list[dict[str, Any]]) -> set[str]:
    """The profile attributes a form asks for ("address" stands for its five parts)."""
    keys: set[str] = set()
    for _field, key in _wanted(fields):
        keys.update(ADDRESS_PARTS.values() if key == "address" else {key})
    return keys


def prefill(
    fields: list[dict[str, Any]], profile: dict[str, tuple[str, str]]
) -> dict[str, dict[str, Any]]:
    """{field key: {"value", "source"}} for fields whose profile attribute has a value.

    An address takes the parts the profile has, and the source of its first filled part.
    """
    filled: dict[str, dict[str, Any]] = {}
    for field, key in _wanted(fields):
        if key == "address":
            parts = {
                part: profile[attribute]
                for part, attribute in ADDRESS_PARTS.items()
                if attribute in profile and profile[attribute][0]
            }
            if parts:
                source = next(iter(parts.values()))[1]
                address = {part: text for part, (text, _source) in parts.items()}
                filled[field["key"]] = {"value": address, "source": source}
        elif key in profile and profile[key][0]:
            value, source = profile[key]
            filled[field["key"]] = {"value": value, "source": source}
    return filled
