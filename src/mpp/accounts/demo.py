"""Demo accounts, one per role. They exist only when MPP_DEMO is on (load_demo refuses otherwise)."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from mpp.accounts import registration, services
from mpp.core.roles import Role

DEMO_NIK = "3510015708900001"  # Banyuwangi, female, 17-08-1990: a demo value, not a person
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # demo only: published on purpose
DEMO_PASSWORD = "demo-mpp-2026"  # noqa: S105 - published on purpose: demo mode only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    region: str | None
    password: str = DEMO_PASSWORD


DEMO_ACCOUNTS = [
    DemoAccount("admin.nasional", Role.NATIONAL_ADMIN, None),
    DemoAccount("pengelola.bwi", Role.REGIONAL_MANAGER, "35.10"),
    DemoAccount("admin.dpmptsp.bwi", Role.AGENCY_ADMIN, "35.10"),
    DemoAccount("petugas.dukcapil.bwi", Role.AGENCY_OFFICER, "35.10"),
    DemoAccount("loket.bwi", Role.COUNTER_OFFICER, "35.10"),
    DemoAccount("pengelola.sragen", Role.REGIONAL_MANAGER, "33.14"),
    DemoAccount("warga.demo", Role.CITIZEN, None),
]


@transaction.atomic
def load() -> str:
    lines = ["Demo accounts (username / password — role, region):"]
    for account in DEMO_ACCOUNTS:
        user = services.ensure_user(username=account.username, password=account.password)
        if account.role != Role.CITIZEN:
            services.grant_role(user=user, role=account.role, region_code=account.region)
            TOTPDevice.objects.get_or_create(
                user=user, name="demo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
            )
        else:  # a demo person: the NIK is made up, valid in form only
            registration.attach_citizen(
                user=user, nik=DEMO_NIK, full_name="Warga Demo", sex="F",
                birth_date=datetime.date(1990, 8, 17), phone="081200000001",
            )  # fmt: skip
        where = f", {account.region}" if account.region else ""
        lines.append(
            f"  {account.username:<22} / {account.password}  — {account.role.label}{where}"
        )
    return "\n".join(lines)
