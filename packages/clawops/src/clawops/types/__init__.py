"""Response objects of the ClawOps API (snake_case attributes over the wire's camelCase)."""

from .call import Call, CallControlResponse, CallDirection, CallStatus
from .number import Number, NumberSource, WebhookMethod
from .shared import PageMeta
from .sip import SipCredential

__all__ = [
    "Call",
    "CallControlResponse",
    "CallDirection",
    "CallStatus",
    "Number",
    "NumberSource",
    "PageMeta",
    "SipCredential",
    "WebhookMethod",
]
