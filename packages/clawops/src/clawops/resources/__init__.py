"""Resources of the ClawOps API, written once for the sync and async clients."""

from .accounts import Account
from .assignment_links import AssignmentLinks
from .blocked_recipients import BlockedRecipients
from .calls import Calls
from .kakao import Kakao, KakaoBrandImages, KakaoBrandTemplates, KakaoChannels, KakaoTemplates
from .messages import Messages
from .numbers import Numbers
from .recordings import Recordings
from .sender_numbers import SenderNumbers
from .sip import Credentials, Sip
from .sip_credentials import SipCredentials
from .sip_endpoints import SipEndpoints
from .webhook_logs import WebhookLogs

__all__ = [
    "Account",
    "AssignmentLinks",
    "BlockedRecipients",
    "Calls",
    "Credentials",
    "Kakao",
    "KakaoBrandImages",
    "KakaoBrandTemplates",
    "KakaoChannels",
    "KakaoTemplates",
    "Messages",
    "Numbers",
    "Recordings",
    "SenderNumbers",
    "Sip",
    "SipCredentials",
    "SipEndpoints",
    "WebhookLogs",
]
