"""Pages show times as the clock where the application is: WIB, WITA or WIT."""

import datetime

import pytest
from django.template import Context, Template

AT = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("region", "shown"),
    [
        ("35.10", "16:00 WIB"),  # Banyuwangi
        ("74.71", "17:00 WITA"),  # Kota Kendari
        ("64.72", "17:00 WITA"),  # Kota Samarinda
        ("94.71", "18:00 WIT"),  # Kota Jayapura
        ("", "16:00 WIB"),
        ("99.99", "16:00 WIB"),  # not a province: Jakarta's time, not an error
    ],
)
def test_a_time_is_shown_in_its_regions_zone(region, shown):
    page = Template('{% load region_time %}{{ at|region_time:region|date:"H:i T" }}')
    assert page.render(Context({"at": AT, "region": region})) == shown


def test_no_time_stays_empty():
    page = Template('{% load region_time %}[{{ at|region_time:"35.10"|date:"H:i" }}]')
    assert page.render(Context({"at": None})) == "[]"


@pytest.mark.django_db
def test_my_application_page_names_the_zone(client, applicant, akta_ready):
    from mpp.cases import services

    application = services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"}, idempotency_key="z"
    ).application
    client.force_login(applicant)
    page = client.get(f"/permohonan/{application.tracking}/").content.decode()
    local = application.submitted_at.astimezone(datetime.timezone(datetime.timedelta(hours=7)))
    assert f"{local:%H:%M} WIB" in page
