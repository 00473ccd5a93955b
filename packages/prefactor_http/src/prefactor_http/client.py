"""``prefactor_http.client``, the module path of prefactor-http 0.4.3 (prefactor-core imports
``PrefactorHttpClient`` from it): the clients of `prefactor_http`."""

from ._client import DEFAULT_SDK_HEADER, PrefactorHttpClient, SyncPrefactorHttpClient

__all__ = ["DEFAULT_SDK_HEADER", "PrefactorHttpClient", "SyncPrefactorHttpClient"]
