"""Helpers for output tests: an application submitted and approved by an agency officer."""

from mpp.cases import services
from mpp.catalog.models import Agency


def submit(user, offering, key="k-1"):
    return services.submit_application(
        user=user, offering_id=offering.pk, data={"child_name": "Budi"}, idempotency_key=key
    ).application


def approve(application, officer):
    for step, action in (("verifikasi", "terima"), ("penerbitan", "terbitkan")):
        services.act_on_application(
            user=officer, tracking=application.tracking, step_key=step, action=action
        )
    application.refresh_from_db()
    return application


def stored_bytes(output):
    with output.file.open("rb") as stream:
        return stream.read()


def sragen_office(agency):
    return Agency.objects.create(kind=agency.kind, region_id="33.14", name="Disdukcapil Sragen")
