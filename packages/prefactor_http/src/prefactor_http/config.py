"""``prefactor_http.config``, the module path of prefactor-http 0.4.3: `HttpClientConfig`."""

from ._config import DEFAULT_API_URL, HttpClientConfig

__all__ = ["DEFAULT_API_URL", "HttpClientConfig"]
