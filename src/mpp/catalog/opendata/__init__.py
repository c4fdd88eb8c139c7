"""The service catalogue as open data in CPSV-AP 3.2.0 (EU Core Public Service Vocabulary
Application Profile): an rdflib graph, serialised to Turtle or JSON-LD, and read back for an
import.

One `dcat:Dataset` holds (`dct:hasPart`) a `cpsv:PublicService` per published national template
(the national catalogue) or per active offering of one kabupaten/kota, with the region's
overrides applied. Every URI hangs under the `base` the caller passes in (the request's absolute
root), never a domain written here. An export runs a fixed number of queries whatever its size.

Modules: `vocab` (namespaces, fixed wording), `queries` (what is read), `facts` and `texts`
(one service's values and descriptions), `graph` (the builder), `catalogs` (national and
regional), `output` (serialisation), `reading` (a CPSV-AP file back into import rows).
"""

from mpp.catalog.opendata.catalogs import national_catalog, regional_catalog
from mpp.catalog.opendata.facts import ChannelFacts, ServiceFacts
from mpp.catalog.opendata.graph import CatalogGraph
from mpp.catalog.opendata.output import serialize
from mpp.catalog.opendata.queries import (
    get_kabkota,
    list_published_offerings,
    list_published_templates,
)
from mpp.catalog.opendata.reading import rows_from_cpsv
from mpp.catalog.opendata.vocab import CPSV, CV, LOCN, PREFIXES, Format, iso_duration

__all__ = [
    "CPSV",
    "CV",
    "LOCN",
    "PREFIXES",
    "CatalogGraph",
    "ChannelFacts",
    "Format",
    "ServiceFacts",
    "get_kabkota",
    "iso_duration",
    "list_published_offerings",
    "list_published_templates",
    "national_catalog",
    "regional_catalog",
    "rows_from_cpsv",
    "serialize",
]
