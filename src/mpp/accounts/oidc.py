"""Single sign-on for agency apps: the claims our OpenID Connect provider hands out.

django-oauth-toolkit does the protocol (authorization code + PKCE, RS256 ID tokens, JWKS,
userinfo, discovery); this module decides what an agency app learns about a person, scope by
scope. Only people with a Citizen record have a profile; staff without one get `sub` and
`email` only. The NIK travels only with the `nik` scope, which only confidential clients
(server-side agency systems registered by a national admin) may ask for, and only when their
registration allows it (`client_policy`: each app asks for no more than its allowed scopes).
"""

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import URLPattern
from django.utils.translation import gettext
from oauth2_provider import urls as dot_urls
from oauth2_provider.oauth2_validators import OAuth2Validator

from mpp.accounts import client_policy
from mpp.accounts.models import Citizen, DataAccess

NIK_SCOPE = "nik"

# The endpoints we serve under /o/: no self-service client registration pages (clients are
# registered by national admins in the admin), no device flow. The RFC 8414 metadata stays:
# the RFC 9207 `iss` of authorization responses is derived from its address.
URLPATTERNS: list[URLPattern] = [
    pattern
    for pattern in dot_urls.metadata_urlpatterns
    + dot_urls.base_urlpatterns
    + dot_urls.oidc_urlpatterns
    if not (pattern.name or "").startswith("device")
]


def pairwise_subject(client_id: str, user_pk: int) -> str:
    """A stable, opaque `sub` per app: two agency apps cannot join their records on it."""
    message = f"oidc-sub:{client_id}:{user_pk}".encode()
    return hmac.new(settings.MPP_LOOKUP_KEY.encode(), message, hashlib.sha256).hexdigest()


PERSONAL_CLAIMS = ("name", "birthdate", "gender", "email", "phone_number", "nik")


def _citizen(request: Any) -> Citizen | None:
    if not hasattr(request, "mpp_citizen"):
        request.mpp_citizen = Citizen.objects.filter(user=request.user).first()
    return request.mpp_citizen


@transaction.atomic
def record_release(*, citizen: Citizen, application: Any, claims: list[str]) -> None:
    """'Who used my data': each hand-over of personal claims to an agency app is logged."""
    DataAccess.objects.create(
        citizen=citizen,
        accessor=None,
        accessor_label=application.name or application.client_id,
        purpose=gettext("Masuk ke aplikasi instansi dengan akun MPP Digital"),
        fields=claims,
    )


class MppOAuth2Validator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "nik": NIK_SCOPE,
        "assurance_level": NIK_SCOPE,
    }

    def validate_scopes(
        self,
        client_id: str,
        scopes: list[str],
        client: Any,
        request: Any,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        if NIK_SCOPE in scopes and client.client_type != client.CLIENT_CONFIDENTIAL:
            return False
        if not set(scopes) <= client_policy.allowed_scopes(client):
            return False  # oauthlib answers invalid_scope
        return bool(super().validate_scopes(client_id, scopes, client, request, *args, **kwargs))

    def get_discovery_claims(self, request: Any) -> list[str]:
        return list(self.oidc_claim_scope)

    def get_oidc_claims(self, token: Any, token_handler: Any, request: Any) -> dict[str, Any]:
        claims: dict[str, Any] = super().get_oidc_claims(token, token_handler, request)
        released = [name for name in PERSONAL_CLAIMS if name in claims]
        citizen = _citizen(request)
        if citizen is not None and released:
            record_release(citizen=citizen, application=request.client, claims=released)
        return claims

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        claims: dict[str, Any] = {
            "sub": pairwise_subject(request.client.client_id, user.pk),
            "email": user.email or None,
        }
        citizen = _citizen(request)
        verified = citizen is not None and citizen.contact_verified_at is not None
        # Registration sends its code to the e-mail address when there is one, else by SMS.
        claims["email_verified"] = bool(verified and user.email)
        if citizen is None:
            return {key: value for key, value in claims.items() if value is not None}
        phone = citizen.phone  # already E.164 (+62…), normalised at registration
        claims.update(
            {
                "name": citizen.full_name,
                "birthdate": citizen.birth_date.isoformat(),
                "gender": "female" if citizen.sex == Citizen.Sex.FEMALE else "male",
                "phone_number": phone or None,
                "phone_number_verified": bool(verified and phone and not user.email),
            }
        )
        if NIK_SCOPE in (request.scopes or ()):  # decrypt the NIK only when it is asked for
            claims["nik"] = citizen.nik
            claims["assurance_level"] = citizen.assurance_level
        return {key: value for key, value in claims.items() if value is not None}
