"""Demo MPP sites: the 21 MPP Digital pilot regions (sourced) plus a few demo buildings."""

import datetime
import json
from pathlib import Path

from django.db import transaction

from mpp.regions import services

PILOTS_FILE = Path(__file__).with_name("demo_data") / "pilot_regions.json"

# Physical MPP buildings for three regions, so the pages have something to show.
# Addresses and hours are demo values (is_demo=True), not published data.
DEMO_BUILDINGS = {
    "35.10": "Mal Pelayanan Publik Banyuwangi",
    "33.14": "Mal Pelayanan Publik Sragen",
    "13.75": "Mal Pelayanan Publik Bukittinggi",
}
DEMO_HOURS = {day: [["08:00", "15:00"]] for day in ("mon", "tue", "wed", "thu")} | {
    "fri": [["08:00", "11:30"], ["13:00", "15:00"]]
}


@transaction.atomic
def load() -> str:
    data = json.loads(PILOTS_FILE.read_text(encoding="utf-8"))
    launched_on = datetime.date.fromisoformat(data["launched_on"])
    count = 0
    for pilot in data["pilot_regions"]:
        code = pilot["kemendagri_code"]
        services.save_mpp_site(
            actor=None,
            region_code=code,
            kind="digital",
            name=f"MPP Digital {pilot['name']}",
            url="https://mppdigital.go.id/",
            went_live_on=launched_on,
            source=pilot["source"],
        )
        count += 1
    for code, name in DEMO_BUILDINGS.items():
        services.save_mpp_site(
            actor=None,
            region_code=code,
            kind="physical",
            name=name,
            address="Alamat demo — bukan alamat resmi",
            opening_hours=DEMO_HOURS,
            is_demo=True,
            source="demo",
        )
        count += 1
    return f"Demo MPP sites: {count} (21 MPP Digital pilots, sourced; 3 demo buildings)."
