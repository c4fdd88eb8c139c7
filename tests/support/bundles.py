"""The birth bundle used by the bundle tests: three services at three agencies in Banyuwangi."""

from mpp.cases import bundles
from mpp.cases.models import FormDefinition
from mpp.catalog import services as catalog
from mpp.catalog.models import AgencyKind
from mpp.catalog.services import ChannelSpec

FORMS = {
    "akta-kelahiran": [
        {"key": "anak_nama", "type": "text", "label": {"id": "Nama anak"}, "required": True,
         "section": {"id": "Data anak"}},
        {"key": "anak_tanggal_lahir", "type": "date", "label": {"id": "Tanggal lahir"},
         "required": True},
        {"key": "ibu_nama", "type": "text", "label": {"id": "Nama ibu"}, "required": True,
         "section": {"id": "Orang tua"}},
    ],
    "kk-perubahan-data": [
        {"key": "kk_nomor", "type": "text", "label": {"id": "Nomor KK"}, "required": True,
         "section": {"id": "Kartu Keluarga"}},
        {"key": "anak_nama", "type": "text", "label": {"id": "Nama anak"}, "required": True,
         "section": {"id": "Data anak"}},
    ],
    "kia": [
        {"key": "anak_nama", "type": "text", "label": {"id": "Nama anak"}, "required": True,
         "section": {"id": "Data anak"}},
        {"key": "anak_nik", "type": "nik", "label": {"id": "NIK anak"}, "required": True},
        {"key": "anak_tanggal_lahir", "type": "date", "label": {"id": "Tanggal lahir"},
         "required": True},
        {"key": "kk_nomor", "type": "text", "label": {"id": "Nomor KK"}, "required": True},
    ],
}  # fmt: skip
DATA = {
    "anak_nama": "Budi",
    "anak_tanggal_lahir": "2026-11-20",
    "ibu_nama": "Siti Aminah",
    "kk_nomor": "3510010101010001",
}
AGENCIES = {"akta-kelahiran": None, "kk-perubahan-data": "dinsos", "kia": "dinkes"}


def publish_form(template, fields):
    FormDefinition.objects.create(
        template=template,
        number=1,
        status=FormDefinition.Status.PUBLISHED,
        definition={"fields": fields},
    )


def make_birth_bundle(make_template):
    """Three services in Banyuwangi, at three agencies, and the "kelahiran" bundle."""
    for slug, name in (("dinsos", "Dinas Sosial"), ("dinkes", "Dinas Kesehatan")):
        AgencyKind.objects.create(slug=slug, name=name, short_name=name, level="regional")
    for slug in FORMS:
        template = make_template(slug=slug, name=f"Layanan {slug}")
        publish_form(template, FORMS[slug])
        catalog.save_offering(
            actor=None,
            region_code="35.10",
            template_slug=slug,
            channels=[ChannelSpec("online"), ChannelSpec("counter")],
            agency_kind=AGENCIES[slug],
        )
    return bundles.save_bundle_definition(
        actor=None,
        slug="kelahiran",
        name="Paket kelahiran",
        life_event="kelahiran",
        services=list(FORMS),
        provided_later=["anak_nik"],
    )


def submit(user, data=None, key="k1", region="35.10"):
    return bundles.submit_bundle(
        user=user,
        region_code=region,
        bundle_slug="kelahiran",
        data=DATA if data is None else data,
        idempotency_key=key,
    )
