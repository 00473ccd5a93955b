"""Resources of the ClawOps API, written once for the sync and async clients."""

from .accounts import Account
from .calls import Calls
from .numbers import Numbers
from .sip import Credentials, Sip

__all__ = ["Account", "Calls", "Credentials", "Numbers", "Sip"]
