"""Demo form definitions (demo_data/forms/<template slug>.json), published for the demo templates,
and the life-event bundles of demo_data/bundles.json.

Idempotent: a template whose newest published form already equals the file gets nothing new;
a changed file is published as the next number (published forms never change).
"""

import json
from pathlib import Path

from django.db import transaction

from mpp.cases.formdefs import services
from mpp.cases.formdefs.queries import get_published_form
from mpp.catalog.models import ServiceTemplate

FORMS_DIR = Path(__file__).with_name("demo_data") / "forms"


@transaction.atomic
def load_demo_forms() -> list[str]:
    """Publish each demo form whose template exists; the slugs newly published."""
    published = []
    for path in sorted(FORMS_DIR.glob("*.json")):
        template = ServiceTemplate.objects.filter(slug=path.stem).first()
        if template is None:
            continue
        definition = json.loads(path.read_text(encoding="utf-8"))
        current = get_published_form(template_id=template.pk)
        if current is not None and current.definition == definition:
            continue
        draft = services.save_draft_form_definition(
            actor=None, template=template, definition=definition
        )
        services.publish_form_definition(actor=None, form_definition=draft)
        published.append(path.stem)
    return published


@transaction.atomic
def load_demo_bundles() -> list[str]:
    """Life-event bundles whose member templates all have a form (after load_demo_forms)."""
    from mpp.cases.bundles import save_bundle_definition

    path = FORMS_DIR.parent / "bundles.json"
    saved = []
    for spec in json.loads(path.read_text(encoding="utf-8"))["bundles"]:
        if not all(_has_form(slug) for slug in spec["services"]):
            continue
        save_bundle_definition(actor=None, **spec)
        saved.append(spec["slug"])
    return saved


def _has_form(slug: str) -> bool:
    template = ServiceTemplate.objects.filter(slug=slug).first()
    return template is not None and get_published_form(template_id=template.pk) is not None


def load() -> str:
    published = load_demo_forms()
    bundles = load_demo_bundles()
    return (
        f"Demo forms: {len(published)} published ({', '.join(published) or 'none new'}); "
        f"bundles: {', '.join(bundles) or 'none'}."
    )
