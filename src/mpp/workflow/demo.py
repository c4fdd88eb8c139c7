"""Demo process definitions (see demo_data/processes.json for their sources and demo values)."""

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from mpp.catalog.models import ServiceTemplate
from mpp.workflow.services import save_process

DATA = Path(__file__).parent / "demo_data" / "processes.json"


def _templates(spec: Any) -> list[ServiceTemplate | None]:
    if spec is None:
        return [None]
    slugs = spec if isinstance(spec, list) else [spec]
    return list(ServiceTemplate.objects.filter(slug__in=slugs).order_by("slug"))


@transaction.atomic
def load() -> str:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    created = 0
    for process in data["processes"]:
        for template in _templates(process["template"]):
            slug = template.slug if template and isinstance(process["template"], list) else None
            created += save_process(
                actor=None,
                slug=slug or process["slug"],
                template=template,
                definition=process["definition"],
            ).created
    return f"Demo workflow: {created} new process definitions."
