"""Response objects of the ClawOps API (snake_case attributes over the wire's camelCase)."""

from .assignment_link import (
    AssignmentLink,
    AssignmentLinkAssignment,
    AssignmentLinkCreated,
    LinkStatus,
)
from .call import Call, CallControlResponse, CallDirection, CallStatus
from .number import Number, NumberSource, RoutingType, WebhookMethod
from .recording import RecordingDownload
from .shared import PageMeta
from .sip import SipCredential, SipEndpoint, SipStatus
from .transcript import (
    AnalysisStatus,
    SummaryStatus,
    TranscriptRequestAccepted,
    TranscriptSegment,
    TranscriptStatus,
)
from .webhook_log import WebhookLog

__all__ = [
    "AnalysisStatus",
    "AssignmentLink",
    "AssignmentLinkAssignment",
    "AssignmentLinkCreated",
    "Call",
    "CallControlResponse",
    "CallDirection",
    "CallStatus",
    "LinkStatus",
    "Number",
    "NumberSource",
    "PageMeta",
    "RecordingDownload",
    "RoutingType",
    "SipCredential",
    "SipEndpoint",
    "SipStatus",
    "SummaryStatus",
    "TranscriptRequestAccepted",
    "TranscriptSegment",
    "TranscriptStatus",
    "WebhookLog",
    "WebhookMethod",
]
