"""Staff see links to their work pages in the header; citizens and visitors do not."""

import pytest
from django.urls import reverse

from mpp.core.roles import Role

pytestmark = pytest.mark.django_db


def header_links(client) -> str:
    html = client.get(reverse("cases:status")).content.decode()
    return html.split("</header>")[0]


def test_an_agency_officer_sees_the_work_queue_but_not_staff_accounts(client, make_officer):
    client.force_login(make_officer(Role.AGENCY_OFFICER))
    header = header_links(client)
    assert reverse("cases_officer:queue") in header
    assert reverse("accounts:staff") not in header


def test_a_regional_manager_also_manages_staff(client, make_officer):
    client.force_login(make_officer(Role.REGIONAL_MANAGER))
    header = header_links(client)
    assert reverse("cases_officer:queue") in header
    assert reverse("accounts:staff") in header


def test_citizens_and_visitors_see_no_staff_links(client, applicant):
    assert reverse("cases_officer:queue") not in header_links(client)
    client.force_login(applicant)
    assert reverse("cases_officer:queue") not in header_links(client)


def test_a_counter_officer_sees_the_counter(client, make_officer):
    client.force_login(make_officer(Role.COUNTER_OFFICER))
    assert reverse("cases_counter:home") in header_links(client)
