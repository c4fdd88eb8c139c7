"""The committed OpenAPI document matches the code (STYLE habit 14)."""

import json
from pathlib import Path

from mpp.api import api

COMMITTED = Path(__file__).resolve().parents[1] / "openapi" / "mpp.json"


def render() -> str:
    return json.dumps(api.get_openapi_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def test_committed_schema_is_current():
    assert COMMITTED.read_text(encoding="utf-8") == render(), (
        "openapi/mpp.json is stale: run `make openapi` and commit the result"
    )


def test_schema_served_at_the_documented_address(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/regions/{code}" in response.json()["paths"]


def test_interactive_docs_use_local_assets_only(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html and "unpkg" not in html


def test_schema_names_are_unique():
    """OpenAPI components are keyed by class name: a second `EventOut` silently replaced the
    application timeline's schema with the outbox's in the published document."""
    from ninja import Schema

    def ours(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("mpp."):
                yield sub
            yield from ours(sub)

    names = [f"{cls.__module__}.{cls.__name__}" for cls in set(ours(Schema))]
    short = [name.rsplit(".", 1)[1] for name in names]
    assert sorted(n for n in names if short.count(n.rsplit(".", 1)[1]) > 1) == []
