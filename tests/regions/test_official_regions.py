"""The official list: 38 provinces, 514 kabupaten/kota (416 + 98), dotted Kemendagri codes."""

import pytest

from mpp.regions import services
from mpp.regions.models import Region
from mpp.regions.reference import OfficialRegion

pytestmark = pytest.mark.django_db


def test_counts_match_the_decree():
    regions = Region.objects
    assert regions.filter(level="province").count() == 38
    assert regions.filter(level="kabkota").count() == 514
    assert regions.filter(kind="kabupaten").count() == 416
    assert regions.filter(kind="kota").count() == 98


@pytest.mark.parametrize(
    ("code", "name", "province"),
    [
        ("35.10", "Kabupaten Banyuwangi", "35"),
        ("33.14", "Kabupaten Sragen", "33"),
        ("13.75", "Kota Bukittinggi", "13"),
        ("31.71", "Kota Jakarta Pusat", "31"),
        ("11.71", "Kota Banda Aceh", "11"),
        ("64.72", "Kota Samarinda", "64"),
        ("74.71", "Kota Kendari", "74"),
    ],
)
def test_sample_codes(code, name, province):
    region = Region.objects.get(code=code)
    assert (region.name, region.province_id, region.level) == (name, province, "kabkota")


def test_new_papua_provinces_are_present():
    assert set(
        Region.objects.filter(code__in=["93", "94", "95", "96"]).values_list("name", flat=True)
    ) == {"Papua Selatan", "Papua Tengah", "Papua Pegunungan", "Papua Barat Daya"}


def test_every_kabkota_is_a_tenant_with_a_province():
    assert not Region.objects.filter(level="kabkota", province__isnull=True).exists()
    assert all(r.is_tenant for r in Region.objects.filter(level="kabkota")[:5])
    assert not Region.objects.get(code="35").is_tenant


def test_sync_twice_changes_nothing():
    assert services.sync_official_regions() == services.SyncResult(created=0, updated=0)
    assert Region.objects.count() == 552


def test_sync_applies_a_renamed_region_and_a_new_one():
    official = [
        OfficialRegion("35", "Jawa Timur", "province", "provinsi", None),
        OfficialRegion("35.10", "Kabupaten Banyuwangi Baru", "kabkota", "kabupaten", "35"),
        OfficialRegion("35.99", "Kabupaten Contoh", "kabkota", "kabupaten", "35"),
    ]
    assert services.sync_official_regions(regions=official) == services.SyncResult(1, 1)
    assert Region.objects.get(code="35.10").name == "Kabupaten Banyuwangi Baru"
    assert "baru" in Region.objects.get(code="35.10").search_text


def test_a_region_renamed_by_the_sync_shows_at_once_in_a_cached_list(client):
    """bulk_update skips auto_now: the sync sets updated_at itself, which the cache checks."""
    url = "/api/v1/regions?province=35"
    assert "Kabupaten Banyuwangi" in client.get(url).content.decode()  # cached now
    official = [OfficialRegion("35.10", "Kabupaten Banyuwangi Baru", "kabkota", "kabupaten", "35")]
    services.sync_official_regions(regions=official)
    assert "Kabupaten Banyuwangi Baru" in client.get(url).content.decode()
