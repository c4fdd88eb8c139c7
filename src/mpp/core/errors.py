"""One domain error type, rendered once for the API (problem+json) and once for pages."""

from django.utils.functional import Promise


class DomainError(Exception):
    """A refusal a user can act on. Services raise subclasses; entry points never catch them."""

    status: int = 400
    code: str = "invalid"

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class InvalidInput(DomainError):
    status = 400
    code = "invalid"


class TooLarge(DomainError):
    status = 413
    code = "too_large"
