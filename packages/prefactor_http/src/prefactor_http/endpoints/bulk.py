"""``prefactor_http.endpoints.bulk``: `BulkClient`, prefactor-http 0.4.3's name for
``client.bulk``."""

from ..resources.bulk import Bulk as BulkClient

__all__ = ["BulkClient"]
