"""The public API under /api/v1/: one NinjaAPI, each app mounts its own router.

Errors leave in one shape, RFC 7807 problem+json, in the request's language:
{"type", "title", "status", "detail", "code", "errors": [{"field", "message", "code"}]}.
"""

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from mpp.accounts.api import router as accounts_router
from mpp.accounts.me_api import router as me_router
from mpp.accounts.staff_api import router as staff_router
from mpp.cases.api import router as cases_router
from mpp.cases.bundles_api import public_router as bundle_definitions_router
from mpp.cases.bundles_api import router as bundles_router
from mpp.cases.counter_api import router as counter_router
from mpp.cases.documents_api import router as documents_router
from mpp.cases.drafts_api import router as drafts_router
from mpp.cases.outputs_api import public_router as verify_router
from mpp.cases.outputs_api import router as receipts_router
from mpp.cases.status_api import public_router as status_router
from mpp.catalog.api import router as catalog_router
from mpp.catalog.import_api import router as catalog_import_router
from mpp.core.errors import DomainError
from mpp.integrations.admin_api import router as integrations_router
from mpp.integrations.inbound_api import router as agency_router
from mpp.notifications.api import router as notifications_router
from mpp.regions.api import router as regions_router
from mpp.regions.api import sites_router

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="MPP Digital API",
    version="1.0.0",
    description="API Mal Pelayanan Publik Digital / Digital Public Service Mall API.",
    urls_namespace="api",
)

# Messages for the pydantic error types people actually trigger, so 422s speak Indonesian too.
_VALIDATION_MESSAGES = {
    "missing": gettext_lazy("Wajib diisi."),
    "int_parsing": gettext_lazy("Harus berupa bilangan bulat."),
    "int_type": gettext_lazy("Harus berupa bilangan bulat."),
    "greater_than_equal": gettext_lazy("Nilai terlalu kecil (minimal %(ge)s)."),
    "less_than_equal": gettext_lazy("Nilai terlalu besar (maksimal %(le)s)."),
    "literal_error": gettext_lazy("Harus salah satu dari: %(expected)s."),
    "enum": gettext_lazy("Harus salah satu dari: %(expected)s."),
    "string_too_long": gettext_lazy("Terlalu panjang (maksimal %(max_length)s karakter)."),
    "string_too_short": gettext_lazy("Terlalu pendek (minimal %(min_length)s karakter)."),
    "string_pattern_mismatch": gettext_lazy("Format tidak sesuai."),
    "date_from_datetime_parsing": gettext_lazy("Harus berupa tanggal (YYYY-MM-DD)."),
    "date_parsing": gettext_lazy("Harus berupa tanggal (YYYY-MM-DD)."),
    "bool_parsing": gettext_lazy("Harus berupa true atau false."),
    "json_invalid": gettext_lazy("Isi permintaan bukan JSON yang sah."),
}


def problem(
    request: HttpRequest,
    *,
    status: int,
    title: str,
    detail: str,
    code: str,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = "application/problem+json"
    return response


def _field_name(location: tuple[Any, ...]) -> str:
    # ninja prefixes the source ("query", "body", "path") and the schema argument name.
    parts = [str(p) for p in location if p not in ("query", "body", "path", "header", "payload")]
    return ".".join(parts[-1:] if len(parts) > 1 and parts[0] == "filters" else parts)


def _validation_message(error: dict[str, Any]) -> str:
    template = _VALIDATION_MESSAGES.get(error.get("type", ""))
    if template is None:
        return str(error.get("msg", _("Nilai tidak sah.")))
    context = {key: value for key, value in (error.get("ctx") or {}).items()}
    try:
        return str(template) % context
    except (KeyError, TypeError):
        return str(error.get("msg", _("Nilai tidak sah.")))


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    errors = getattr(exc, "errors", None) or (
        [{"field": exc.field, "message": str(exc.message), "code": exc.code}] if exc.field else None
    )
    return problem(
        request,
        status=exc.status,
        title=exc.code,
        detail=str(exc.message),
        code=exc.code,
        errors=errors,
    )


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "field": _field_name(tuple(error.get("loc", ()))),
            "message": _validation_message(error),
            "code": error.get("type", "invalid"),
        }
        for error in exc.errors
    ]
    fields = ", ".join(sorted({e["field"] for e in errors if e["field"]}))
    return problem(
        request,
        status=422,
        title="validation_error",
        detail=_("Permintaan tidak sah: periksa %(fields)s.") % {"fields": fields or _("isi")},
        code="validation_error",
        errors=errors,
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(
        request, status=404, title="not_found", detail=_("Tidak ditemukan."), code="not_found"
    )


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(
        request,
        status=401,
        title="unauthenticated",
        detail=_("Silakan masuk terlebih dahulu."),
        code="unauthenticated",
    )


api.add_router("/auth", accounts_router)
api.add_router("/me", me_router)
api.add_router("/me", notifications_router)
api.add_router("/staff", staff_router)
api.add_router("/regions", regions_router)
api.add_router("/mpp-sites", sites_router)
api.add_router("", catalog_router)
api.add_router("/catalog-imports", catalog_import_router)
api.add_router("", cases_router)
api.add_router("", status_router)
api.add_router("/agency", agency_router)
api.add_router("/integrations", integrations_router)
api.add_router("", documents_router)
api.add_router("", drafts_router)
api.add_router("", bundles_router)
api.add_router("", bundle_definitions_router)
api.add_router("/counter", counter_router)
api.add_router("", verify_router)
api.add_router("", receipts_router)
