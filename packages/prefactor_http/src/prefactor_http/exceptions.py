"""``prefactor_http.exceptions``, the module path of prefactor-http 0.4.3: every error of
`prefactor_http` and the retry classifiers prefactor-core uses."""

from ._exceptions import (
    PrefactorApiError,
    PrefactorAuthError,
    PrefactorClientError,
    PrefactorConnectionError,
    PrefactorHttpError,
    PrefactorNotFoundError,
    PrefactorRateLimitError,
    PrefactorResponseContractError,
    PrefactorRetryExhaustedError,
    PrefactorTimeoutError,
    PrefactorValidationError,
    is_permanent_http_error,
    is_transient_http_error,
)

__all__ = [
    "PrefactorApiError",
    "PrefactorAuthError",
    "PrefactorClientError",
    "PrefactorConnectionError",
    "PrefactorHttpError",
    "PrefactorNotFoundError",
    "PrefactorRateLimitError",
    "PrefactorResponseContractError",
    "PrefactorRetryExhaustedError",
    "PrefactorTimeoutError",
    "PrefactorValidationError",
    "is_permanent_http_error",
    "is_transient_http_error",
]
