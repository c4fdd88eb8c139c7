from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from mpp.accounts.demo import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the current 2FA code of the demo staff accounts (demo mode only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.MPP_DEMO:
            raise CommandError("Only in demo mode (MPP_DEMO=true).")
        self.stdout.write(f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}")
