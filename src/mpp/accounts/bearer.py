"""API access with an OAuth2 access token from our own provider (mobile and partner apps)."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from oauth2_provider.oauth2_backends import get_oauthlib_core


class AccessToken(HttpBearer):
    """`Authorization: Bearer <token>` carrying `scope`; the request acts as the token's user."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[self.scope])
        user = getattr(oauth_request, "user", None) if valid else None
        if user is None or not user.is_active:
            return None
        request.user = user
        return user
