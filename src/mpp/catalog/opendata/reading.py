"""Reading a CPSV-AP 3.2.0 file (Turtle or JSON-LD) back into catalogue-import rows.

What is read is what `regional_catalog` writes; the rows are those of a CSV import
(docs/catalog-import.md), so the same checks apply and per-row problems carry the row number.

- Every `cpsv:PublicService` whose `dct:spatial` is a location with a kabupaten/kota code as its
  `dct:identifier` (e.g. "35.10") is a regional offering, one row; other services (a national
  catalogue's templates) are skipped. Rows are sorted by the service's `dct:identifier` and
  numbered 1..n; the report's "row" is that number.
- region: that location's code. service: the template slug, from the `dct:identifier`
  "<region>/<slug>", else from the last segment of `dct:source` (the national service).
- channels: the notations of the channels' `dct:type` concepts in our "channel" scheme
  (<base>open-data/concept/channel); link_out_url: the link-out channel's `foaf:page`.
- notes: what follows "Catatan daerah: " in the Indonesian `dct:description`.
- active: always "ya" (the export lists active offerings only; an import deactivates nothing).
- Tariff and processing time: the export always writes the effective values, the national
  standard's when the region has not set its own. Importing those as overrides would freeze
  today's national values into the region, so they are read only when the service carries the
  marker the export adds for the region's own values: `cv:isClassifiedBy` a concept of our
  "regional-standard" scheme, notation "tariff" or "duration" (plain CPSV-AP, SHACL-valid).
  - "tariff": exactly one `cv:Cost` with a `cv:hasValue` (else the file is rejected: a row holds
    one tariff); fee_legal_basis is what follows "Dasar hukum: " in its Indonesian description.
    The tariff's label is not carried (the row format has none).
  - "duration": `cv:processingTime` PT<n>M, PT<n>H or P<n>D (else the file is rejected); days
    are working days when the Indonesian description says "Jangka waktu penyelesaian: <n> hari
    kerja", as the export writes, else calendar days.
- Channel sites and channel notes, requirements, output and agency are not read: they follow
  the national template or are set in the admin.
- Nothing is fetched: a JSON-LD document whose @context (anywhere) is, or @imports, an address
  is rejected; only inline contexts are accepted. Unparseable RDF is rejected as a whole.
"""

import json
import re
from typing import Any

from django.utils.translation import gettext as _
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS as DCT
from rdflib.namespace import FOAF, RDF, SKOS
from rdflib.term import Node

from mpp.catalog.opendata.vocab import (
    CHANNEL_SCHEME,
    CPSV,
    CV,
    DEMO_ID,
    DURATIONS,
    LEGAL_BASIS_ID,
    NOTES_ID,
    REGIONAL_DURATION,
    REGIONAL_SCHEME,
    REGIONAL_TARIFF,
    TIME_ID,
)

KABKOTA = re.compile(r"\d{2}\.\d{2}")
PARSERS = {  # the import's format, or the export's name for it -> (rdflib parser, name)
    "ttl": ("turtle", "Turtle"),
    "turtle": ("turtle", "Turtle"),
    "jsonld": ("json-ld", "JSON-LD"),
    "json-ld": ("json-ld", "JSON-LD"),
}
ISO_DURATIONS = (  # what the export writes; a day count may be working days (see above)
    (re.compile(r"PT(\d+)M"), "minutes"),
    (re.compile(r"PT(\d+)H"), "hours"),
    (re.compile(r"P(\d+)D"), "days"),
)
DETAIL_CHARS = 300

Row = tuple[int, dict[str, str]]


def _rejected(message: str) -> Exception:
    # Imported late: catalog.imports imports catalog.services, which imports this lazily.
    from mpp.catalog.imports import FileRejected

    return FileRejected(message)


def rows_from_cpsv(data: bytes, file_format: str) -> list[Row]:
    """(row number, {column: text}) per regional offering in the file; see the module's doc."""
    graph = _parse(data, file_format)
    found: list[tuple[str, str, Node, str]] = []
    for node in set(graph.subjects(RDF.type, CPSV.PublicService)):
        region = _region(graph, node)
        if region:
            found.append((_first(graph, node, DCT.identifier), str(node), node, region))
    if not found:
        raise _rejected(
            _(
                "Berkas CPSV-AP tidak berisi layanan daerah (cpsv:PublicService dengan "
                "dct:spatial sebuah kabupaten/kota)."
            )
        )
    found.sort(key=lambda item: (item[0], item[1]))
    return [
        (number, _cells(graph, node, region, identifier))
        for number, (identifier, _uri, node, region) in enumerate(found, start=1)
    ]


def _parse(data: bytes, file_format: str) -> Graph:
    parser, name = PARSERS[file_format]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _rejected(_("Berkas CPSV-AP harus berenkode UTF-8.")) from exc
    if parser == "json-ld":
        try:
            document = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise _unreadable(name, exc) from exc
        remote = _remote_context(document)
        if remote is not None:
            raise _rejected(
                _(
                    "JSON-LD dengan @context dari alamat lain (%(url)s) tidak diterima: "
                    "tulis konteksnya di dalam berkas (inline)."
                )
                % {"url": remote[:DETAIL_CHARS]}
            )
    graph = Graph()
    try:
        graph.parse(data=text, format=parser)
    except Exception as exc:  # rdflib raises many kinds for a broken document
        raise _unreadable(name, exc) from exc
    return graph


def _unreadable(name: str, exc: BaseException) -> Exception:
    detail = " ".join(str(exc).split())[:DETAIL_CHARS]
    return _rejected(
        _("Berkas %(format)s tidak dapat dibaca: %(detail)s") % {"format": name, "detail": detail}
    )


def _remote_context(document: Any) -> str | None:
    """The first context the document would load from elsewhere (a string or an @import), at
    any depth: rdflib would fetch it (or read a local file), and an import fetches nothing."""
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(reversed(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                if key == "@import":
                    return str(item)
                if key == "@context":
                    for context in item if isinstance(item, list) else [item]:
                        if isinstance(context, str):
                            return context
                stack.append(item)
    return None


def _first(graph: Graph, node: Node, predicate: Node, *, lang: str | None = None) -> str:
    """The smallest value (a fixed choice when there are several), "" when there is none."""
    values = [
        str(value)
        for value in graph.objects(node, predicate)
        if lang is None or (isinstance(value, Literal) and value.language == lang)
    ]
    return min(values, default="")


def _region(graph: Graph, service: Node) -> str:
    codes = {
        str(code)
        for place in graph.objects(service, DCT.spatial)
        for code in graph.objects(place, DCT.identifier)
        if KABKOTA.fullmatch(str(code))
    }
    return min(codes, default="")


def _in_scheme(graph: Graph, concepts: Any, scheme: str) -> set[str]:
    """Notations of those concepts that belong to one of our schemes (by skos:inScheme or by
    their address, <base>open-data/concept/<scheme>/<notation>)."""
    suffix = f"/concept/{scheme}"
    notations = set()
    for concept in concepts:
        schemes = [str(node) for node in graph.objects(concept, SKOS.inScheme)]
        parent = str(concept).rsplit("/", 1)[0]
        if any(uri.rstrip("/").endswith(suffix) for uri in [*schemes, parent]):
            notation = _first(graph, concept, SKOS.notation)
            notations.add(notation or str(concept).rsplit("/", 1)[-1])
    return notations


def _service_slug(graph: Graph, service: Node, region: str, identifier: str) -> str:
    slug = identifier.removeprefix(f"{region}/")
    if slug != identifier and slug and "/" not in slug:
        return slug
    source = _first(graph, service, DCT.source)
    if "/service/" in source:
        return source.rstrip("/").rsplit("/", 1)[-1]
    return identifier


def _cells(graph: Graph, service: Node, region: str, identifier: str) -> dict[str, str]:
    channels: dict[str, Node] = {}
    for channel in graph.objects(service, CV.hasChannel):
        for kind in _in_scheme(graph, graph.objects(channel, DCT.type), CHANNEL_SCHEME):
            channels[kind] = channel
    link_out = channels.get("link_out")
    description = _first(graph, service, DCT.description, lang="id")
    cells = {
        "region": region,
        "service": _service_slug(graph, service, region, identifier),
        "channels": "|".join(sorted(channels)),
        "link_out_url": _first(graph, link_out, FOAF.page) if link_out is not None else "",
        "notes": description.partition(NOTES_ID)[2].strip(),
        "active": "ya",
    }
    regional = _in_scheme(graph, graph.objects(service, CV.isClassifiedBy), REGIONAL_SCHEME)
    if REGIONAL_TARIFF in regional:
        cells |= _fee(graph, service, identifier)
    if REGIONAL_DURATION in regional:
        cells |= _duration(graph, service, identifier, description)
    return cells


def _fee(graph: Graph, service: Node, identifier: str) -> dict[str, str]:
    costs = list(graph.objects(service, CV.hasCost))
    values = [value for cost in costs for value in graph.objects(cost, CV.hasValue)]
    if len(costs) != 1 or len(values) != 1:
        raise _rejected(
            _(
                "Layanan %(service)s ditandai bertarif daerah, tetapi tidak mempunyai tepat satu "
                "cv:Cost dengan cv:hasValue; impor hanya dapat membaca satu tarif daerah per "
                "layanan."
            )
            % {"service": identifier}
        )
    amount = str(values[0])
    try:
        number = float(amount)
    except ValueError:
        number = None  # left as written: the row check reports fee_idr
    if number is not None and number.is_integer():
        amount = str(int(number))
    basis = _first(graph, costs[0], DCT.description, lang="id").partition(LEGAL_BASIS_ID)[2]
    return {"fee_idr": amount, "fee_legal_basis": basis.removesuffix(DEMO_ID).strip()}


def _duration(graph: Graph, service: Node, identifier: str, description: str) -> dict[str, str]:
    written = _first(graph, service, CV.processingTime)
    for pattern, unit in ISO_DURATIONS:
        match = pattern.fullmatch(written)
        if match:
            value = str(int(match.group(1)))
            working_days = f"{TIME_ID}{value} {DURATIONS['working_days'][1]}"
            if unit == "days" and working_days in description:
                unit = "working_days"
            return {"duration_value": value, "duration_unit": unit}
    raise _rejected(
        _(
            "Layanan %(service)s ditandai berjangka waktu daerah, tetapi cv:processingTime-nya "
            "(%(value)s) bukan menit (PT90M), jam (PT2H) atau hari (P3D)."
        )
        % {"service": identifier, "value": written[:DETAIL_CHARS] or "-"}
    )
