import datetime
from typing import Literal

from django.core import signing
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from mpp.accounts import registration
from mpp.core.errors import InvalidInput

router = Router(tags=["akun"])
TOKEN_SALT = "mpp.accounts.registration"  # noqa: S105 - a signing namespace, not a secret
TOKEN_MAX_AGE = 3600


class RegisterIn(Schema):
    nik: str = Field(..., max_length=20, examples=["3510014101900001"])
    full_name: str = Field(..., min_length=1, max_length=150)
    birth_date: datetime.date
    sex: Literal["M", "F"]
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=20, examples=["0812 3456 7890"])
    password: str = Field(..., min_length=1, max_length=128)


class RegisterOut(Schema):
    registration: str = Field(..., description="Token untuk POST /auth/verify (berlaku 1 jam)")
    channel: str
    destination_hint: str


class VerifyIn(Schema):
    registration: str = Field(..., max_length=200)
    code: str = Field(..., pattern=r"^\d{6}$")


class VerifyOut(Schema):
    status: Literal["active"]


@router.post("/register", response={201: RegisterOut}, summary="Daftar akun warga dengan NIK")
def register(request: HttpRequest, payload: RegisterIn) -> Status[dict[str, str]]:
    result = registration.register_citizen(**payload.dict())
    token = signing.dumps(result.user.pk, salt=TOKEN_SALT)
    return Status(
        201,
        {
            "registration": token,
            "channel": result.channel,
            "destination_hint": result.destination_hint,
        },
    )


@router.post("/verify", response=VerifyOut, summary="Verifikasi kode yang dikirim saat mendaftar")
def verify(request: HttpRequest, payload: VerifyIn) -> dict[str, str]:
    try:
        user_id = signing.loads(payload.registration, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise InvalidInput(
            _("Token pendaftaran tidak sah atau kedaluwarsa."), field="registration"
        ) from None
    registration.verify_contact(user_id=user_id, code=payload.code)
    return {"status": "active"}
