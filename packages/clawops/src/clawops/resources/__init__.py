"""Resources of the ClawOps API, written once for the sync and async clients."""

from .accounts import Account
from .assignment_links import AssignmentLinks
from .calls import Calls
from .numbers import Numbers
from .recordings import Recordings
from .sip import Credentials, Sip
from .sip_credentials import SipCredentials
from .sip_endpoints import SipEndpoints
from .webhook_logs import WebhookLogs

__all__ = [
    "Account",
    "AssignmentLinks",
    "Calls",
    "Credentials",
    "Numbers",
    "Recordings",
    "Sip",
    "SipCredentials",
    "SipEndpoints",
    "WebhookLogs",
]
