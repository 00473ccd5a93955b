"""`client.numbers`: buy, list, route and release phone numbers."""

from __future__ import annotations

import builtins
import re
from collections.abc import Mapping
from typing import Any

from typing_extensions import Unpack

from sdkcore import Op, Raw, RequestOptions, as_list, as_model, as_none, endpoint, path_segment
from sdkcore import strip_not_given as _omit_none

from ..types.number import Number, NumberSource, RoutingType, WebhookMethod
from ._base import AccountResource, M, check_choice

__all__ = ["Numbers"]

_SOURCES = frozenset({"pool", "sip"})
_METHODS = frozenset({"POST", "GET"})
_ROUTING_TYPES = frozenset({"webhook", "sip", "softphone", "forward", "agent", "callflow"})
# The id each routing type needs (argument name, wire name).
_ROUTING_TARGETS = {
    "agent": ("agent_id", "agentId"),
    "callflow": ("call_flow_id", "callFlowId"),
    "forward": ("forward_to", "forwardTo"),
    "sip": ("sip_endpoint_id", "sipEndpointId"),
    "softphone": ("sip_credential_id", "sipCredentialId"),
}
_DIGITS = re.compile(r"[0-9]{3,20}")


def _number_list(body: Any) -> list[Number]:
    # The seed's wire answers {"numbers": [...]}, 0.70.0's {"data": [...]}.
    key = "numbers" if isinstance(body, Mapping) and "numbers" in body else "data"
    return as_list(Number, key=key)(body)


def _check_headers(webhook_headers: Mapping[str, str] | None) -> None:
    if webhook_headers is not None and not all(
        isinstance(name, str) and name.lower().startswith("x-") for name in webhook_headers
    ):
        raise ValueError("webhook_headers names must all start with 'X-'")


class Numbers(AccountResource[M]):
    """Phone numbers of one account."""

    @property
    def with_raw_response(self) -> Numbers[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: Numbers[Raw[M]] = self._raw_copy()
        return raw

    @endpoint
    def create(
        self,
        *,
        source: NumberSource | None = None,
        number: str | None = None,
        webhook_url: str | None = None,
        webhook_method: WebhookMethod | None = None,
        webhook_headers: Mapping[str, str] | None = None,
        status_callback: str | None = None,
        status_callback_events: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Op[Number]:
        """Acquire a number: from the shared pool (default) or register your own SIP number.

        Args:
            source: "pool" (default) or "sip".
            number: The number to register; required for "sip" (3 to 20 digits).
            webhook_url: URL that receives incoming-call webhooks for this number.
            webhook_method: "POST" (server default) or "GET".
            webhook_headers: Headers added to those webhooks; names must start with "X-".
            status_callback: URL notified of inbound call status changes.
            status_callback_events: Space-separated events to send.

        Never retried once the request may have reached the server: a lost response cannot
        buy a second number.
        """
        check_choice(source, _SOURCES, argument="source")
        if source == "sip" and number is None:
            raise ValueError("number is required when source='sip'")
        if number is not None and not (isinstance(number, str) and _DIGITS.fullmatch(number)):
            raise ValueError(f"number must be a string of 3 to 20 digits, got {number!r}")
        check_choice(webhook_method, _METHODS, argument="webhook_method")
        _check_headers(webhook_headers)
        body = _omit_none(
            {
                "source": source,
                "number": number,
                "webhookUrl": webhook_url,
                "webhookMethod": webhook_method,
                "webhookHeaders": webhook_headers,
                "statusCallback": status_callback,
                "statusCallbackEvents": status_callback_events,
            }
        )
        return Op("POST", self._path("/numbers"), as_model(Number), body=body, options=options)

    @endpoint
    def list(self, **options: Unpack[RequestOptions]) -> Op[builtins.list[Number]]:
        """All numbers of the account (the API does not page them)."""
        return Op("GET", self._path("/numbers"), _number_list, options=options)

    @endpoint
    def update(
        self,
        number: str,
        *,
        routing_type: RoutingType | None = None,
        agent_id: str | None = None,
        call_flow_id: str | None = None,
        forward_to: str | None = None,
        sip_endpoint_id: str | None = None,
        sip_credential_id: str | None = None,
        webhook_url: str | None = None,
        webhook_method: WebhookMethod | None = None,
        webhook_headers: Mapping[str, str] | None = None,
        call_context_url: str | None = None,
        status_callback: str | None = None,
        status_callback_events: str | None = None,
        dictionary_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Op[Number]:
        """Change a number's routing or webhook; fields left out keep their value.

        Args:
            number: The number to change.
            routing_type: Where inbound calls go: "webhook", "agent" (needs `agent_id`),
                "callflow" (`call_flow_id`), "forward" (`forward_to`, another number of the
                account), "sip" (`sip_endpoint_id`) or "softphone" (`sip_credential_id`).
                Switching clears the other routing ids on the server.
            webhook_url: The webhook inbound calls are announced to.
            webhook_method: The HTTP method the webhook is called with.
            webhook_headers: Headers sent with each webhook call.
            call_context_url: Per-call context endpoint for "agent" routing.
            status_callback: Where inbound call status notifications go.
            status_callback_events: Which inbound call statuses are notified.
            dictionary_id: Transcription dictionary of the number.

        At least one field is required. Updating twice has the same effect as once, so the
        PUT is retried like a GET.
        """
        check_choice(routing_type, _ROUTING_TYPES, argument="routing_type")
        check_choice(webhook_method, _METHODS, argument="webhook_method")
        _check_headers(webhook_headers)
        targets = {
            "agentId": agent_id,
            "callFlowId": call_flow_id,
            "forwardTo": forward_to,
            "sipEndpointId": sip_endpoint_id,
            "sipCredentialId": sip_credential_id,
        }
        needed = _ROUTING_TARGETS.get(routing_type or "")
        if needed is not None and targets[needed[1]] is None:
            raise ValueError(f"{needed[0]} is required when routing_type={routing_type!r}")
        body = _omit_none(
            {
                "routingType": routing_type,
                **targets,
                "webhookUrl": webhook_url,
                "webhookMethod": webhook_method,
                "webhookHeaders": webhook_headers,
                "callContextUrl": call_context_url,
                "statusCallback": status_callback,
                "statusCallbackEvents": status_callback_events,
                "dictionaryId": dictionary_id,
            }
        )
        if not body:
            raise ValueError("give webhook_url or webhook_method (or both), or a routing field")
        return Op(
            "PUT",
            self._number_path(number),
            as_model(Number),
            body=body,
            options=options,
        )

    @endpoint
    def delete(self, number: str, **options: Unpack[RequestOptions]) -> Op[None]:
        """Release a number from the account."""
        return Op("DELETE", self._number_path(number), as_none, options=options)

    def _number_path(self, number: str) -> str:
        return self._path("/numbers/", path_segment(number, argument="number"))
