"""/api/v1/me/notifications and /api/v1/me/notification-preferences: the signed-in person's
inbox and channels. Session (browsers, with CSRF) or a bearer token with the `applications`
scope (mobile apps), as for /api/v1/applications."""

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from mpp.accounts.bearer import AccessToken
from mpp.notifications import queries, services

# The bearer token first: the session check refuses a POST without a CSRF token outright.
router = Router(tags=["notifikasi"], auth=[AccessToken("applications"), django_auth])
PAGE = 50


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    link: str = Field(..., description="Jalur di situs ini, mis. /permohonan/<nomor>/")
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class InboxOut(Schema):
    unread: int = Field(..., description=f"Jumlah belum dibaca (paling banyak {queries.BADGE_CAP})")
    items: list[NotificationOut]


class InboxFilter(Schema):
    page: int = Field(1, ge=1, le=10_000)
    unread: bool = Field(False, description="Hanya yang belum dibaca")


class ReadIn(Schema):
    ids: list[int] | None = Field(
        None,
        max_length=500,
        description="Notifikasi yang ditandai dibaca; kosong (null) berarti semuanya",
    )


class ReadOut(Schema):
    marked: int


class PreferencesIn(Schema):
    email: bool
    sms: bool
    whatsapp: bool
    language: Literal["id", "en"]


class PreferencesOut(PreferencesIn):
    email_available: bool = Field(..., description="Akun memiliki alamat e-mail")
    phone_available: bool = Field(..., description="Akun memiliki nomor ponsel")
    chosen: bool = Field(..., description="false: pengaturan bawaan, belum pernah diubah")


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]  # set by ninja from the auth classes


@router.get("/notifications", response=InboxOut, summary="Notifikasi saya, terbaru dulu")
def my_notifications(request: HttpRequest, filters: Query[InboxFilter]) -> dict:
    rows = queries.inbox_of(_user(request))
    if filters.unread:
        rows = rows.filter(read_at__isnull=True)
    start = (filters.page - 1) * PAGE
    return {
        "unread": queries.unread_count(_user(request)),
        "items": list(rows[start : start + PAGE]),
    }


@router.post("/notifications/read", response=ReadOut, summary="Tandai notifikasi dibaca")
def mark_read(request: HttpRequest, payload: ReadIn) -> dict:
    return {"marked": services.mark_read(user=_user(request), ids=payload.ids)}


def _preferences(prefs: queries.Preferences) -> dict:
    return {
        "email": prefs.email,
        "sms": prefs.sms,
        "whatsapp": prefs.whatsapp,
        "language": prefs.language,
        "email_available": bool(prefs.email_address),
        "phone_available": bool(prefs.phone),
        "chosen": prefs.stored,
    }


@router.get("/notification-preferences", response=PreferencesOut, summary="Saluran notifikasi")
def get_preferences(request: HttpRequest) -> dict:
    return _preferences(queries.preferences_for(_user(request)))


@router.put("/notification-preferences", response=PreferencesOut, summary="Ubah saluran")
def put_preferences(request: HttpRequest, payload: PreferencesIn) -> dict:
    return _preferences(services.set_preferences(user=_user(request), **payload.dict()))
