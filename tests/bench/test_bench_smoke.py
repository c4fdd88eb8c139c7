"""The benchmark helpers on a tiny scale (the benchmarks themselves are not part of the suite)."""

import json

import pytest
from tests.bench import bench_submit, cases_common

from mpp.cases.demo import FORMS_DIR
from mpp.cases.formdefs import clean_submission

AKTA = json.loads((FORMS_DIR / "akta-kelahiran.json").read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_the_bench_submission_is_a_complete_akta_kelahiran_form():
    data = bench_submit.form_data(bench_submit.nik_of(0), [1, 2, 3, 4, 5])
    cleaned, errors = clean_submission(AKTA["fields"], data, region_code="35.10")
    assert errors == []
    assert cleaned["dok_ktp_orang_tua"] == [2, 3]


def test_percentiles_and_database_names():
    assert cases_common.percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50) == 3.0
    assert cases_common.percentile([], 95) == 0.0
    assert cases_common.database_url("mpp_bench_x").endswith("/mpp_bench_x")
    with pytest.raises(SystemExit):
        cases_common.recreate_database("postgres://postgres@127.0.0.1:5432/mpp_main")
