"""Webhook signature verification.

The API signs each webhook and status callback with the account's signing key: `X-Signature`
is base64(HMAC-SHA1(key, url + every parameter name and value, sorted by name)).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from ._exceptions import WebhookVerificationError
from ._signature import compute_signature

__all__ = ["Webhooks", "compute_signature", "verify_signature"]


def verify_signature(
    url: str, params: Mapping[str, str], signature: str | None, signing_key: str
) -> bool:
    """Check a webhook's `X-Signature`; return True or raise `WebhookVerificationError`.

    Args:
        url: The full URL the webhook was posted to, exactly as configured (scheme, host, path
            and query).
        params: The form parameters of the request.
        signature: The `X-Signature` header value.
        signing_key: The account's webhook signing key.
    """
    if not isinstance(signing_key, str) or not signing_key:
        raise ValueError("signing_key must be a non-empty string")
    if not signature:
        raise WebhookVerificationError("Missing X-Signature header.")
    expected = compute_signature(url, params, signing_key)
    # Constant-time comparison so the signature cannot be guessed byte by byte from timings.
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        raise WebhookVerificationError("Webhook signature does not match.")
    return True


class Webhooks:
    """`client.webhooks`: helpers for requests the API sends to your application."""

    def verify(
        self,
        url: str,
        params: Mapping[str, str],
        signature: str | None,
        signing_key: str,
    ) -> bool:
        """Verify a webhook's signature; see `verify_signature`."""
        return verify_signature(url, params, signature, signing_key)

    def compute_signature(self, url: str, params: Mapping[str, str], signing_key: str) -> str:
        """The `X-Signature` value the API would send for these inputs."""
        return compute_signature(url, params, signing_key)
