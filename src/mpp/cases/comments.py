"""Officers' notes on an application: internal between officers, or addressed to the citizen."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mpp.cases import queries
from mpp.cases.models import Application
from mpp.cases.notify import notify_comment
from mpp.core.errors import InvalidInput
from mpp.workflow.models import Comment

MAX_BODY = 2000


def comment_on_application(*, user: Any, tracking: str, body: str, to_citizen: bool) -> Comment:
    """Add a note; staff who may not read the application (`queries.staff_scope`) get 404, as
    for every staff read, and nothing is written."""
    body = clean_body(body)
    with transaction.atomic():
        application = queries.staff_application(user, tracking)
        return add_comment(
            application, author=user, author_label=user.get_full_name() or user.get_username(),
            body=body, to_citizen=to_citizen,
        )  # fmt: skip


def clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise InvalidInput(_("Tuliskan isi catatan."), field="body")
    if len(body) > MAX_BODY:
        raise InvalidInput(
            _("Catatan terlalu panjang (maksimal %(n)s karakter).") % {"n": MAX_BODY},
            field="body",
        )
    return body


def add_comment(
    application: Application, *, author: Any, author_label: str, body: str, to_citizen: bool
) -> Comment:
    """Store a checked note (inside the caller's transaction) and tell the citizen if it is
    theirs. Officers come through `comment_on_application`, agency systems through
    integrations/inbound.py."""
    comment = Comment.objects.create(
        application=application, author=author, author_label=author_label, body=body,
        to_citizen=to_citizen,
    )  # fmt: skip
    notify_comment(comment)
    return comment


def comments_of(application: Application) -> list[Comment]:
    return list(application.comments.order_by("created_at", "id"))
