"""Demo catalogue from the sourced seed (demo_data/seed.json): agencies, 47 national templates
with their Standar Pelayanan, and offerings in the 21 MPP Digital pilot regions.

Where the seed has no published figure (null), a value the platform needs is filled in and the
component is listed in the version's `demo_fields`, so pages label it "nilai demo".
"""

import json
import re
from pathlib import Path
from typing import Any

from django.db import transaction

from mpp.catalog import services
from mpp.catalog.models import (
    AgencyKind,
    Channel,
    LifeEvent,
    Offering,
    PriorityTag,
    ServiceTemplate,
)
from mpp.core.text import fold
from mpp.regions.demo import PILOTS_FILE

SEED = Path(__file__).with_name("demo_data") / "seed.json"
DEMO_AGENCY_KINDS = Path(__file__).with_name("demo_data") / "demo_agency_kinds.json"

LIFE_EVENTS = {
    "kelahiran": ("Kelahiran", "Birth"),
    "kematian": ("Kematian", "Death"),
    "pernikahan": ("Pernikahan", "Marriage"),
    "perceraian": ("Perceraian", "Divorce"),
    "pindah-domisili": ("Pindah domisili", "Moving house"),
    "memulai-usaha": ("Memulai usaha", "Starting a business"),
    "kendaraan": ("Kendaraan", "Vehicles"),
    "kesehatan": ("Kesehatan", "Health"),
    "pekerjaan": ("Pekerjaan", "Work"),
    "pendidikan": ("Pendidikan", "Education"),
    "tanah-bangunan": ("Tanah dan bangunan", "Land and buildings"),
    "bantuan-sosial": ("Bantuan sosial", "Social assistance"),
    "pajak": ("Pajak", "Taxes"),
    "perjalanan": ("Perjalanan ke luar negeri", "Travel abroad"),
}
PRIORITY_TAGS = {
    "investasi": ("Investasi", "Investment"),
    "kemiskinan-ekstrem": ("Penghapusan kemiskinan ekstrem", "Ending extreme poverty"),
    "stunting": ("Percepatan penurunan stunting", "Reducing stunting"),
}
SHORT_NAMES = {
    "disdukcapil": "Disdukcapil", "kantor-imigrasi": "Kantor Imigrasi", "polri": "Polres",
    "samsat": "Samsat", "bapenda": "Bapenda", "bpjs-kesehatan": "BPJS Kesehatan",
    "bpjs-ketenagakerjaan": "BPJS Ketenagakerjaan", "dpmptsp": "DPMPTSP", "dinkes": "Dinkes",
    "disnaker": "Disnaker", "djp": "KPP Pratama", "atr-bpn": "Kantor Pertanahan", "kua": "KUA",
    "pln": "PLN UP3", "pdam": "PDAM", "dinsos": "Dinsos",
}  # fmt: skip
# How each kind of agency serves people today; the URLs are the agencies' public apps.
CHANNELS: dict[str, tuple[list[str], str]] = {
    "disdukcapil": ([Channel.ONLINE, Channel.COUNTER], ""),
    "kantor-imigrasi": ([Channel.LINK_OUT, Channel.COUNTER], "https://www.imigrasi.go.id/"),
    "polri": ([Channel.LINK_OUT, Channel.COUNTER], "https://skck.polri.go.id/"),
    "samsat": ([Channel.LINK_OUT, Channel.COUNTER], "https://www.samsat.info/"),
    "bapenda": ([Channel.ONLINE, Channel.COUNTER], ""),
    "bpjs-kesehatan": ([Channel.LINK_OUT, Channel.COUNTER], "https://www.bpjs-kesehatan.go.id/"),
    "bpjs-ketenagakerjaan": (
        [Channel.LINK_OUT, Channel.COUNTER],
        "https://www.bpjsketenagakerjaan.go.id/",
    ),
    "dpmptsp": ([Channel.INTEGRATED, Channel.COUNTER], ""),
    "dinkes": ([Channel.ONLINE, Channel.COUNTER], ""),
    "disnaker": ([Channel.ONLINE, Channel.COUNTER], ""),
    "djp": ([Channel.LINK_OUT], "https://pajak.go.id/"),
    "atr-bpn": ([Channel.LINK_OUT, Channel.COUNTER], "https://www.atrbpn.go.id/"),
    "kua": ([Channel.LINK_OUT, Channel.COUNTER], "https://simkah4.kemenag.go.id/"),
    "pln": (
        [Channel.LINK_OUT, Channel.COUNTER],
        "https://www.pln.co.id/pelanggan/aplikasi-pln-mobile",
    ),
    "pdam": ([Channel.COUNTER], ""),
    "dinsos": ([Channel.COUNTER, Channel.MOBILE], ""),
}
LINK_OUT_BY_SERVICE = {"nib-oss": "https://oss.go.id/", "pbg": "https://simbg.pu.go.id/",
                       "slf": "https://simbg.pu.go.id/"}  # fmt: skip
# Requirement text -> the document type it asks for (first match wins); None = a condition.
DOCUMENT_RULES: list[tuple[str, str | None]] = [
    (r"\bberusia\b|\btelah menikah\b", None),
    (r"kartu keluarga|\bkk\b", "Kartu Keluarga"),
    (r"\bktp", "KTP-el"),
    (r"akta kelahiran", "Akta Kelahiran"),
    (r"buku nikah|akta (perkawinan|nikah)", "Buku Nikah / Akta Perkawinan"),
    (r"akta kematian|surat kematian", "Surat Keterangan Kematian"),
    (r"pas ?foto", "Pas Foto"),
    (r"surat keterangan pindah", "Surat Keterangan Pindah"),
    (r"kehilangan|keterangan hilang", "Surat Keterangan Hilang"),
    (r"sptjm", "SPTJM"),
    (r"surat kuasa", "Surat Kuasa"),
    (r"formulir|surat permohonan", "Formulir Permohonan"),
    (r"ijazah", "Ijazah"),
    (r"npwp", "NPWP"),
    (r"stnk", "STNK"),
    (r"bpkb", "BPKB"),
    (r"\bsim\b", "SIM"),
    (r"paspor", "Paspor"),
    (r"sertip|sertif", "Sertipikat"),
    (r"\bstr\b", "STR"),
    (r"keterangan sehat", "Surat Keterangan Sehat"),
]
COMPLAINTS = (
    "Pengaduan, saran, dan masukan melalui SP4N-LAPOR! (lapor.go.id), menu pengaduan MPP Digital, "
    "atau meja pengaduan di gedung MPP (Perpres 76/2013)."
)
DEMO_DURATION = (5, "working_days")


def document_for(requirement: str) -> str | None:
    folded = fold(requirement)
    for pattern, document in DOCUMENT_RULES:
        if re.search(pattern, folded):
            return document
    return requirement


def _version_fields(service: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    demo: list[str] = []
    duration = service.get("duration")
    if duration and duration.get("value"):
        value, unit = duration["value"], duration["unit"]
    else:
        value, unit = DEMO_DURATION
        demo.append("duration")
    fee = service.get("fee")
    if fee and fee.get("amount_idr") is not None:
        tariffs = [{"label": "", **fee}]
    else:
        demo.append("tariffs")
        tariffs = [
            {
                "label": "",
                "amount_idr": None,
                "legal_basis": (fee or {}).get("legal_basis")
                or "Belum ada tarif resmi dalam data awal; ditetapkan menurut peraturan yang berlaku.",
                "source": "",
            }
        ]
    fields = {
        "procedure": service["procedure"],
        "duration_value": value,
        "duration_unit": unit,
        "tariffs": tariffs,
        "output": service.get("output") or "",
        "complaints": COMPLAINTS,
        "legal_basis": (fee or {}).get("legal_basis") or "",
        "sources": service.get("sources", []),
        "notes": service.get("notes") or "",
    }
    return fields, demo


def _load_taxonomies(seed: dict[str, Any]) -> None:
    for position, (slug, (name, name_en)) in enumerate(LIFE_EVENTS.items()):
        LifeEvent.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
        )
    for slug, (name, name_en) in PRIORITY_TAGS.items():
        PriorityTag.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name_en})
    for agency in seed["agencies"]:
        AgencyKind.objects.update_or_create(
            slug=agency["slug"],
            defaults={
                "name": agency["name_id"],
                "name_en": agency["name_en"],
                "short_name": SHORT_NAMES.get(agency["slug"], ""),
                "level": agency["level"],
                "parent_ministry": agency.get("parent_ministry") or "",
            },
        )


def _load_template(service: dict[str, Any]) -> bool:
    """Create the template and, the first time only, its first version; True if published."""
    kinds, url = CHANNELS[service["agency"]]
    template = services.save_template(
        actor=None,
        slug=service["slug"],
        name=service["name_id"],
        name_en=service["name_en"],
        agency_kind=service["agency"],
        life_events=service["life_events"],
        priority_tags=service["priority_tags"],
        common_names=service["common_names"],
        default_channels=[str(kind) for kind in kinds],
        link_out_url=LINK_OUT_BY_SERVICE.get(service["slug"], url),
    )
    if template.versions.exists():
        return template.current_version_id is not None
    draft = services.create_draft_version(actor=None, template=template)
    fields, demo = _version_fields(service)
    draft = services.update_draft_version(actor=None, version=draft, demo_fields=demo, **fields)
    services.set_requirements(
        actor=None,
        version=draft,
        items=[(document_for(text), text) for text in service["requirements"]],
    )
    if services.missing_public_components(draft):
        return False  # stays a draft, e.g. pengecekan sertipikat has no published requirements
    services.publish_version(actor=None, version=draft, effective_from=None)
    return True


def _load_demo_agency_kinds() -> None:
    """Offices a demo process needs that the seed does not list (Dinas PUPR for PBG), created in
    every region that offers the service."""
    for kind in json.loads(DEMO_AGENCY_KINDS.read_text(encoding="utf-8"))["demo_agency_kinds"]:
        AgencyKind.objects.update_or_create(
            slug=kind["slug"],
            defaults={k: kind[k] for k in ("name", "name_en", "short_name", "level")},
        )
        regions = Offering.objects.filter(template__slug=kind["for_template"]).values_list(
            "region_id", flat=True
        )
        for region in sorted(set(regions)):
            services.ensure_agency(actor=None, region_code=region, kind_slug=kind["slug"])


@transaction.atomic
def load() -> str:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    _load_taxonomies(seed)
    published = sum(_load_template(service) for service in seed["services"])
    pilots = json.loads(PILOTS_FILE.read_text(encoding="utf-8"))["pilot_regions"]
    created = sum(
        services.onboard_region(actor=None, region_code=p["kemendagri_code"]).created
        for p in pilots
    )
    _load_demo_agency_kinds()
    drafts = ServiceTemplate.objects.filter(current_version__isnull=True).count()
    return (
        f"Demo catalogue: {published} published templates ({drafts} still draft), "
        f"{AgencyKind.objects.count()} agency kinds, {created} new offerings in {len(pilots)} regions."
    )
