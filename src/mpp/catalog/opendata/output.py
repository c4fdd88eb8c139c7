"""Serialisation: the same graph gives the same bytes in every process (one ETag everywhere)."""

import json
from typing import Any

from rdflib import Graph

from mpp.catalog.opendata.vocab import PREFIXES, Format


def _sorted_json(value: Any) -> Any:
    """Keys and arrays in a fixed order (no @list is written, so array order carries nothing)."""
    if isinstance(value, dict):
        return {key: _sorted_json(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value


def serialize(graph: Graph, fmt: Format) -> bytes:
    """Turtle, or JSON-LD compacted with the prefixes as its inline context (nothing to fetch).
    The same graph gives the same bytes in every process, so every web node sends one ETag."""
    if fmt == "json-ld":
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
        return json.dumps(_sorted_json(document), ensure_ascii=False, indent=1).encode()
    return graph.serialize(format="turtle", encoding="utf-8")
