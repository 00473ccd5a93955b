"""Package name and version (``PACKAGE_NAME``/``PACKAGE_VERSION`` as prefactor-http 0.4.3)."""

__version__ = "0.1.0"
PACKAGE_NAME = "prefactor-http"
"""The distribution name, as in the ``X-Prefactor-SDK`` header."""
PACKAGE_VERSION = __version__
