"""``prefactor_http.exceptions``, the module path of prefactor-http 0.4.3: every error of
`prefactor_http` and the retry classifiers prefactor-core uses."""

from . import _exceptions
from ._exceptions import *  # noqa: F403 - the module is this re-export

__all__ = [name for name in _exceptions.__all__ if name != "ERROR_MAP"]
