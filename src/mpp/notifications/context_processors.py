from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from mpp.notifications.queries import BADGE_CAP, unread_count


def unread(request: HttpRequest) -> dict[str, object]:
    """The header badge: counted only when a page shows it, for a signed-in person.

    A COUNT on the partial index (user, unread) rather than a number kept in the session: an
    officer's action in another request adds notifications, and a session copy would show a
    stale badge until it expired; the count costs well under a millisecond."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def label() -> str:
        count = unread_count(user)
        return f"{BADGE_CAP - 1}+" if count >= BADGE_CAP else str(count) if count else ""

    return {"notifications_unread": SimpleLazyObject(label)}
