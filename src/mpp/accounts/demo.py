"""Demo accounts, one per role. They exist only when MPP_DEMO is on (load_demo refuses otherwise)."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from mpp.accounts import client_policy, registration, services
from mpp.catalog import services as catalog_services
from mpp.core.roles import Role

DEMO_NIK = "3510015708900001"  # Banyuwangi, female, 17-08-1990: a demo value, not a person
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # demo only: published on purpose
DEMO_PASSWORD = "demo-mpp-2026"  # noqa: S105 - published on purpose: demo mode only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    region: str | None
    agency_kind: str | None = None  # agency admins and officers work for that region's office
    password: str = DEMO_PASSWORD


DEMO_ACCOUNTS = [
    DemoAccount("admin.nasional", Role.NATIONAL_ADMIN, None),
    DemoAccount("pengelola.bwi", Role.REGIONAL_MANAGER, "35.10"),
    DemoAccount("admin.dpmptsp.bwi", Role.AGENCY_ADMIN, "35.10", "dpmptsp"),
    DemoAccount("petugas.dukcapil.bwi", Role.AGENCY_OFFICER, "35.10", "disdukcapil"),
    DemoAccount("petugas.pupr.bwi", Role.AGENCY_OFFICER, "35.10", "dinas-pupr"),
    DemoAccount("petugas.dinkes.bwi", Role.AGENCY_OFFICER, "35.10", "dinkes"),
    DemoAccount("loket.bwi", Role.COUNTER_OFFICER, "35.10"),
    DemoAccount("pengelola.sragen", Role.REGIONAL_MANAGER, "33.14"),
    DemoAccount("warga.demo", Role.CITIZEN, None),
]


@transaction.atomic
def load() -> str:
    lines = ["Demo accounts (username / password — role, region):"]
    for account in DEMO_ACCOUNTS:
        user = services.ensure_user(username=account.username, password=account.password)
        agency = None
        if account.role != Role.CITIZEN:
            if account.agency_kind and account.region:
                agency = catalog_services.ensure_agency(
                    actor=None, region_code=account.region, kind_slug=account.agency_kind
                )
            services.grant_role(
                user=user, role=account.role, region_code=account.region,
                agency_id=agency.pk if agency else None,
            )  # fmt: skip
            TOTPDevice.objects.get_or_create(
                user=user, name="demo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
            )
        else:  # a demo person: the NIK is made up, valid in form only
            registration.attach_citizen(
                user=user, nik=DEMO_NIK, full_name="Warga Demo", sex="F",
                birth_date=datetime.date(1990, 8, 17), phone="081200000001",
            )  # fmt: skip
        where = f", {account.region}" if account.region else ""
        where += f", {agency.name}" if agency else ""
        lines.append(
            f"  {account.username:<22} / {account.password}  — {account.role.label}{where}"
        )
    lines.append(_load_demo_oidc_client())
    return "\n".join(lines)


DEMO_OIDC_CLIENT_ID = "demo-disdukcapil"
DEMO_OIDC_CLIENT_SECRET = "demo-disdukcapil-rahasia-2026"  # noqa: S105 - published: demo only
DEMO_OIDC_REDIRECT_URI = "http://127.0.0.1:8800/callback"
DEMO_OIDC_SCOPES = ["openid", "profile", "email", "phone", "nik"]


def _load_demo_oidc_client() -> str:
    """A confidential agency app for trying single sign-on (OpenID Connect) by hand."""
    from oauth2_provider.models import get_application_model

    application_model = get_application_model()
    application, _created = application_model.objects.update_or_create(
        client_id=DEMO_OIDC_CLIENT_ID,
        defaults={
            "name": "Aplikasi Disdukcapil (demo)",
            "client_secret": DEMO_OIDC_CLIENT_SECRET,
            "client_type": application_model.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": application_model.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": DEMO_OIDC_REDIRECT_URI,
            "algorithm": application_model.RS256_ALGORITHM,
        },
    )
    agency = catalog_services.ensure_agency(
        actor=None, region_code="35.10", kind_slug="disdukcapil"
    )
    client_policy.set_client_policy(
        application=application, allowed_scopes=DEMO_OIDC_SCOPES, agency_id=agency.pk
    )
    return (
        f"Demo OIDC client: {DEMO_OIDC_CLIENT_ID} / {DEMO_OIDC_CLIENT_SECRET}"
        f"  — redirect {DEMO_OIDC_REDIRECT_URI}, scopes {' '.join(DEMO_OIDC_SCOPES)},"
        " discovery /.well-known/openid-configuration"
    )
