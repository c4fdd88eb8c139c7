"""Search over national service templates, the way people write.

`rank_templates(query)` returns template ids, best first. Placeholder matching: every folded
query word must appear in the template's search text.
"""

from mpp.catalog.models import ServiceTemplate
from mpp.core.text import search_terms


def rank_templates(query: str, *, limit: int = 50) -> list[int]:
    terms = search_terms(query)
    if not terms:
        return []
    templates = ServiceTemplate.objects.all()
    for term in terms:
        templates = templates.filter(search_text__contains=term)
    return list(templates.order_by("name").values_list("pk", flat=True)[:limit])
