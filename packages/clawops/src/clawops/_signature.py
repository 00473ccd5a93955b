"""Webhook signatures: shared by the SDK's verifier and the emulator's sender."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping

__all__ = ["compute_signature"]


def compute_signature(url: str, params: Mapping[str, str], signing_key: str) -> str:
    """Return the ``X-Signature`` value ClawOps sends with a webhook.

    The signed message is ``url`` followed by every parameter's name and value, sorted by
    name; the result is the base64 of its HMAC-SHA1 under ``signing_key`` (UTF-8).
    """
    message = url + "".join(key + value for key, value in sorted(params.items()))
    digest = hmac.new(signing_key.encode(), message.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")
