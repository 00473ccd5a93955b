"""Resources of the ClawOps API, written once for the sync and async clients."""

from .accounts import Account
from .blocked_recipients import BlockedRecipients
from .calls import Calls
from .kakao import Kakao, KakaoBrandImages, KakaoBrandTemplates, KakaoChannels, KakaoTemplates
from .messages import Messages
from .numbers import Numbers
from .sender_numbers import SenderNumbers
from .sip import Credentials, Sip

__all__ = [
    "Account",
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
    "SenderNumbers",
    "Sip",
]
