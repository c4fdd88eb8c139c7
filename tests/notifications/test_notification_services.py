"""notify, mark_read, preferences: defaults, refusals, and one person's inbox only."""

import pytest
from django.core import mail

from mpp.core.errors import InvalidInput, NotFound
from mpp.notifications import queries, services
from mpp.notifications.models import Notification, NotificationPreference
from tests.notifications.conftest import PHONE

pytestmark = pytest.mark.django_db


def test_defaults_follow_what_the_account_has(applicant, make_user):
    prefs = queries.preferences_for(applicant)
    assert (prefs.email, prefs.sms, prefs.whatsapp, prefs.stored) == (True, False, False, False)
    assert prefs.language == "id"
    staff = make_user()  # no e-mail, no citizen, no phone
    assert queries.preferences_for(staff).destination("email") == ""


def test_a_phone_without_email_gets_sms_by_default(with_phone):
    with_phone.email = ""
    with_phone.save()
    prefs = queries.preferences_for(with_phone)
    assert (prefs.email, prefs.sms, prefs.whatsapp) == (False, True, False)
    assert prefs.destination("sms") == PHONE


def test_notify_respects_the_channels_asked_and_the_preferences(with_phone, gateways):
    services.set_preferences(user=with_phone, email=False, sms=True, whatsapp=False, language="id")
    services.notify(with_phone, title="A", body="B", link="/x/")
    services.notify(with_phone, title="C", body="D", link="/x/", channels=())

    assert [n.title for n in queries.inbox_of(with_phone)] == ["C", "A"]
    assert [m["subject"] for m in gateways["sms"].sent] == ["A"]
    assert gateways["whatsapp"].sent == [] and mail.outbox == []


def test_links_in_messages_use_the_site_url(applicant, settings):
    settings.MPP_PUBLIC_URL = "https://mpp.banyuwangikab.go.id/"
    services.notify(applicant, title="A", body="B", link="/permohonan/1/")
    assert mail.outbox[0].body == "B\n\nhttps://mpp.banyuwangikab.go.id/permohonan/1/"


def test_a_channel_without_an_address_cannot_be_switched_on(applicant):
    with pytest.raises(InvalidInput) as refused:
        services.set_preferences(
            user=applicant, email=True, sms=True, whatsapp=False, language="id"
        )
    assert refused.value.field == "sms"
    with pytest.raises(InvalidInput) as refused:
        services.set_preferences(
            user=applicant, email=True, sms=False, whatsapp=False, language="fr"
        )
    assert refused.value.field == "language"
    assert not NotificationPreference.objects.exists()


def test_mark_read_touches_only_ones_own(applicant, make_user):
    other = make_user()
    mine = services.notify(applicant, title="mine", body="", channels=())
    theirs = services.notify(other, title="theirs", body="", channels=())

    assert services.mark_read(user=applicant, ids=[theirs.pk]) == 0
    assert services.mark_read(user=applicant, ids=[mine.pk, theirs.pk]) == 1
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert queries.unread_count(applicant) == 0 and queries.unread_count(other) == 1
    with pytest.raises(NotFound):
        services.open_notification(user=applicant, notification_id=theirs.pk)
    assert services.mark_read(user=other) == 1


def test_the_unread_count_is_capped(applicant):
    Notification.objects.bulk_create(
        Notification(user=applicant, title=str(i)) for i in range(queries.BADGE_CAP + 5)
    )
    assert queries.unread_count(applicant) == queries.BADGE_CAP
