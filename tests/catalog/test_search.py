"""Catalogue search: morphology, colloquial words, abbreviations, typos, publication, cost."""

import json
from pathlib import Path

import pytest

from mpp.catalog import demo, services
from mpp.catalog.models import AgencyKind, ServiceTemplate
from mpp.catalog.search import analyze, rank_templates, stem

QUERY_SET = Path(__file__).parents[1] / "bench" / "search_queries.json"


def hit_rate(slugs: dict[int, str], queries: list[dict], k: int) -> float:
    hits = sum(
        bool({slugs[i] for i in rank_templates(q["q"])[:k]} & set(q["expect"])) for q in queries
    )
    return hits / len(queries)


@pytest.fixture
def catalogue(db) -> dict[int, str]:
    """The demo catalogue (about 3 s: keep the tests that need it few); template id -> slug."""
    demo.load()
    return dict(ServiceTemplate.objects.values_list("pk", "slug"))


def top(query: str, catalogue: dict[int, str], k: int = 1) -> list[str]:
    return [catalogue[i] for i in rank_templates(query)[:k]]


# --- Analysis (no database) --------------------------------------------------------------------


@pytest.mark.parametrize(
    "words",
    [
        ["pembuatan", "membuat", "buat", "dibuat"],
        ["pendaftaran", "mendaftar", "daftar", "daftarin"],
        ["perpanjangan", "perpanjang", "memperpanjang", "perpanjangin"],
        ["pencairan", "mencairkan", "cairkan"],
        ["kelahiran", "melahirkan", "lahir"],
        ["pernikahan", "menikah", "nikah", "perkawinan"],
    ],
)
def test_affixed_forms_share_one_root(words):
    assert len({tuple(analyze(word)) for word in words}) == 1, [analyze(w) for w in words]


@pytest.mark.parametrize(
    ("typed", "official"),
    [
        ("bikin", "pembuatan"),
        ("bikin", "penerbitan"),
        ("akte", "akta"),
        ("Sertifikat", "sertipikat"),
        ("ilang", "kehilangan"),
        ("kartu kuning", "AK/1"),
        ("IMB", "Persetujuan Bangunan Gedung"),
        ("e-KTP", "KTP-el"),
        ("kartu keluarga", "KK"),
        ("surat izin mengemudi", "SIM"),
        ("ijin praktek", "izin praktik"),
        ("jaminan hari tua", "JHT"),
        ("ktpnya", "KTP"),
    ],
)
def test_colloquial_words_and_abbreviations_meet_the_official_ones(typed, official):
    assert analyze(typed) == analyze(official)


def test_stopwords_and_punctuation_carry_nothing():
    assert analyze("Bagaimana cara mengurus... ?") == []
    assert stem("pengecekan") == "cek"  # Sastrawi alone says "kece"


# --- Search over the demo catalogue -------------------------------------------------------------


def test_people_s_words_find_the_service(catalogue):
    cases = {
        # morphology
        "pembuatan ktp": "ktp-el-baru",
        "pendaftaran nikah": "pendaftaran-nikah-kua",
        "perpanjangan skck": "skck-perpanjangan",
        "pencairan jht": "bpjs-tk-klaim-jht",
        # colloquial
        "bikin ktp": "ktp-el-baru",
        "ktp ilang": "ktp-el-hilang-rusak",
        "urus akte lahir anak": "akta-kelahiran",
        "bayar pajak motor": "pkb-tahunan",
        "cairkan jht": "bpjs-tk-klaim-jht",
        "pasang listrik": "pln-pasang-baru",
        "pasang air": "pdam-sambungan-baru",
        # abbreviations and old names
        "imb": "pbg",
        "kartu kuning": "kartu-ak1",
        "siup": "nib-oss",
        "npwp": "npwp-orang-pribadi",
        "skck": "skck-baru",
        "kk hilang": "kk-hilang-rusak",
        "e-paspor": "paspor-elektronik",
        # typos
        "pasport hilang": "paspor-hilang-rusak",
        "skkc": "skck-baru",
        "akte kelahran": "akta-kelahiran",
        "balik nama sertifkat": "peralihan-hak-jual-beli",
        "kartu keluraga rusak": "kk-hilang-rusak",
        # unfinished last word
        "akta kemat": "akta-kematian",
    }
    found = {query: top(query, catalogue) for query in cases}
    assert found == {query: [slug] for query, slug in cases.items()}
    assert set(top("perpanjang sim", catalogue, 2)) == {"sim-a-perpanjangan", "sim-c-perpanjangan"}
    # The one draft in the demo (no published requirements yet) is never found.
    assert not ServiceTemplate.objects.get(slug="pengecekan-sertipikat").current_version_id
    assert "pengecekan-sertipikat" not in top("pengecekan sertipikat tanah", catalogue, 50)
    # Nothing to go on: nothing found, and no noise after the answer.
    assert rank_templates("pizza") == []
    assert rank_templates("cara mengurus") == []
    assert len(rank_templates("kartu kuning")) < 5
    assert len(rank_templates("ktp", limit=2)) == 2


def test_relevance_on_the_benchmark_query_set(catalogue):
    queries = json.loads(QUERY_SET.read_text(encoding="utf-8"))["queries"]
    assert len(queries) >= 60
    assert hit_rate(catalogue, queries, 3) >= 0.9
    holdout = [q for q in queries if q["set"] == "holdout"]
    assert hit_rate(catalogue, holdout, 3) >= 0.9


def test_a_search_costs_one_query_once_the_index_is_built(catalogue, django_assert_num_queries):
    rank_templates("ktp")
    with django_assert_num_queries(1):
        assert rank_templates("bikin akte lahir")
    with django_assert_num_queries(0):
        assert rank_templates("") == []
        assert rank_templates("  ?! ") == []
    assert rank_templates("skck " + "x" * 10_000)[:1] == rank_templates("skck")[:1]


# --- Publication and freshness (own small catalogue) -------------------------------------------


def publish(template: ServiceTemplate) -> None:
    draft = services.create_draft_version(actor=None, template=template)
    draft = services.update_draft_version(
        actor=None,
        version=draft,
        procedure=["Datang ke loket."],
        duration_value=1,
        duration_unit="working_days",
        tariffs=[{"amount_idr": 0, "legal_basis": "Perda"}],
        output="Surat",
        complaints="SP4N-LAPOR!",
    )
    services.set_requirements(actor=None, version=draft, items=[(None, "Berusia 17 tahun")])
    services.publish_version(actor=None, version=draft)


@pytest.mark.django_db
def test_only_published_templates_are_found_and_changes_are_seen_at_once():
    AgencyKind.objects.create(slug="dinas-x", name="Dinas Contoh", level="regional")

    def save(name: str, common_names: list[str]) -> ServiceTemplate:
        return services.save_template(
            actor=None,
            slug="surat-tanda-usaha-tani",
            name=name,
            agency_kind="dinas-x",
            common_names=common_names,
        )

    template = save("Penerbitan Surat Tanda Usaha Tani", ["stut"])
    assert rank_templates("usaha tani") == []  # a draft only
    publish(template)
    assert rank_templates("usaha tani") == [template.pk]  # current_version changed
    assert rank_templates("kartu nelayan") == []
    save("Penerbitan Surat Tanda Usaha Tani", ["stut", "kartu nelayan"])
    assert rank_templates("kartu nelayan") == [template.pk]  # updated_at changed
    ServiceTemplate.objects.filter(pk=template.pk).update(current_version=None)
    assert rank_templates("usaha tani") == []  # withdrawn without touching updated_at
