"""Idempotency-Key records are kept for MPP_IDEMPOTENCY_KEY_HOURS, then removed by the timers."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from mpp.cases import services
from mpp.cases.housekeeping import forget_idempotency_keys
from mpp.cases.models import Application, IdempotencyRecord

pytestmark = pytest.mark.django_db


def submit(user, offering, key):
    return services.submit_application(
        user=user, offering_id=offering.pk, data={"child_name": "Budi"}, idempotency_key=key
    )


def test_the_timers_remove_keys_older_than_the_window_and_keep_the_rest(
    applicant, akta_ready, settings
):
    settings.MPP_IDEMPOTENCY_KEY_HOURS = 72
    old = submit(applicant, akta_ready, "old").application
    recent = submit(applicant, akta_ready, "recent").application
    IdempotencyRecord.objects.filter(key="old").update(
        created_at=timezone.now() - datetime.timedelta(hours=73)
    )
    IdempotencyRecord.objects.filter(key="recent").update(
        created_at=timezone.now() - datetime.timedelta(hours=71)
    )
    out = io.StringIO()
    call_command("workflow_timers", stdout=out)
    assert "idempotency_keys_removed=1" in out.getvalue()
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["recent"]
    assert Application.objects.filter(pk__in=[old.pk, recent.pk]).count() == 2

    again = submit(applicant, akta_ready, "recent")
    assert again.replayed and again.application.pk == recent.pk
    after_window = submit(applicant, akta_ready, "old")
    assert not after_window.replayed and after_window.application.pk != old.pk


def test_a_large_backlog_goes_in_batches(applicant, akta_ready, monkeypatch):
    from mpp.cases import housekeeping

    monkeypatch.setattr(housekeeping, "BATCH", 2)
    for n in range(5):
        submit(applicant, akta_ready, f"k{n}")
    later = timezone.now() + datetime.timedelta(hours=100)
    assert forget_idempotency_keys(now=later) == 5
    assert not IdempotencyRecord.objects.exists()
    assert forget_idempotency_keys(now=later) == 0
