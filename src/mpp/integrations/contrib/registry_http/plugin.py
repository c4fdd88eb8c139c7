"""A population registry behind a plain HTTP service (a Dukcapil gateway run by the region):
`GET {MPP_REGISTRY_HTTP_URL}/nik/{nik}` answers the person, `GET …/kk/{kk}` the members of a
family card, both with `Authorization: Bearer {MPP_REGISTRY_HTTP_TOKEN}`; 404 means unknown.

    {"full_name": "…", "birth_date": "1990-05-17", "birth_place": "…", "sex": "F", "kk_number": "…"}
    {"members": [{"nik": "…", "full_name": "…", "birth_date": "…", "sex": "M",
                  "relationship": "anak"}]}
"""

import datetime
from typing import Any

from django.conf import settings

from mpp.integrations.contrib.http import AdapterError, call, require_settings
from mpp.integrations.registry import (
    FamilyRecord,
    PopulationRegistry,
    RegistryRecord,
    population_registries,
)


def _get(path: str) -> Any:
    base = settings.MPP_REGISTRY_HTTP_URL.rstrip("/")
    return call("GET", f"{base}/{path}", token=settings.MPP_REGISTRY_HTTP_TOKEN, none_on_404=True)


@population_registries.register("registry_http")
class HttpPopulationRegistry(PopulationRegistry):
    def look_up(self, nik: str) -> RegistryRecord | None:
        if not nik.isdigit():
            return None
        answer = _get(f"nik/{nik}")
        if answer is None:
            return None
        try:
            return RegistryRecord(
                full_name=answer["full_name"],
                birth_date=datetime.date.fromisoformat(answer["birth_date"]),
                birth_place=answer.get("birth_place", ""),
                sex=answer["sex"],
                kk_number=answer.get("kk_number", ""),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise AdapterError(f"registry answer for a NIK is malformed: {exc!r}") from exc

    def family(self, kk_number: str) -> list[FamilyRecord]:
        if not kk_number.isdigit():
            return []
        answer = _get(f"kk/{kk_number}")
        if answer is None:
            return []
        try:
            return [
                FamilyRecord(
                    nik=m["nik"],
                    full_name=m["full_name"],
                    birth_date=datetime.date.fromisoformat(m["birth_date"]),
                    sex=m["sex"],
                    relationship=m["relationship"],
                )
                for m in answer["members"]
            ]
        except (KeyError, TypeError, ValueError) as exc:
            raise AdapterError(f"registry answer for a family card is malformed: {exc!r}") from exc

    def check_config(self) -> None:
        require_settings("registry_http", "MPP_REGISTRY_HTTP_URL", "MPP_REGISTRY_HTTP_TOKEN")
