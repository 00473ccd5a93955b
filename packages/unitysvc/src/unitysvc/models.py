"""Data models of the UnitySVC customer API (JSON keys are snake_case on the wire).

Every model keeps unknown fields, so a newer server never breaks an older SDK.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from pydantic import Field

from sdkcore import BaseModel

__all__ = [
    "AccessInterface",
    "AccessInterfacePlan",
    "AccessPlan",
    "Alias",
    "ChannelPlan",
    "CustomerEnrollmentCancelResponse",
    "EnrollmentStatusEnum",
    "GroupMembership",
    "GroupMembershipEntry",
    "LoggingStatusResponse",
    "Message",
    "ParameterRequirement",
    "RecurrentRequestCreate",
    "RecurrentRequestPublic",
    "RecurrentRequestStatusEnum",
    "RecurrentRequestUpdate",
    "RecurrentRequestsPublic",
    "RequestLogDetail",
    "RequestLogListItem",
    "RequestLogListResponse",
    "ResolveCandidate",
    "ResolveResponse",
    "RoutingEndpointPlan",
    "SecretPublic",
    "SecretsPublic",
    "ServiceAliasCreate",
    "ServiceAliasUpdate",
    "ServiceAliasesPublic",
    "ServiceCollectionMemberPublic",
    "ServiceDocument",
    "ServiceDocuments",
    "SwitchRoutingResponse",
]


class EnrollmentStatusEnum(str, Enum):
    """Lifecycle of an enrollment."""

    ACTIVE = "active"
    CANCELLED = "cancelled"
    INCOMPLETE = "incomplete"
    PAUSED = "paused"
    PENDING = "pending"


class RecurrentRequestStatusEnum(str, Enum):
    """Lifecycle of a recurrent request."""

    DRAFT = "draft"
    ACTIVE = "active"
    PAUSED = "paused"
    CANCELLED = "cancelled"


class AccessInterface(BaseModel):
    """One way to call a service or group through a gateway.

    ``enrollment_id`` is None for a shared interface and set for an enrollment-bound
    (BYOK/BYOE) one.
    """

    name: str
    description: str | None = None
    access_method: str | None = None
    base_url: str | None = None
    group_name: str | None = None
    enrollment_id: str | None = None


class ServiceCollectionMemberPublic(BaseModel):
    """A member service of a group, with its routing key and position."""

    id: str
    service_id: str
    routing_key: Any = None
    sort_order: int = 0


class CustomerEnrollmentCancelResponse(BaseModel):
    """Result of cancelling an enrollment."""

    enrollment_id: str
    status: str
    message: str


class SecretPublic(BaseModel):
    """A secret's metadata; the value is never returned."""

    name: str
    id: str
    owner_type: str | None = None
    role_id: str | None = None
    owner_id: str | None = None
    sensitive: bool = True
    created_at: datetime | None = None
    updated_at: datetime | None = None
    last_used_at: datetime | None = None
    description: str | None = None


class SecretsPublic(BaseModel):
    """A window of the customer's secrets."""

    data: list[SecretPublic] = Field(default_factory=list)
    count: int = 0


class Message(BaseModel):
    """A plain confirmation message."""

    message: str


class ServiceAliasCreate(BaseModel):
    """Body of `aliases.create`."""

    name: str
    target_path: str
    description: str | None = None
    request_routing_key: dict[str, Any] | None = None
    routing_key_override: dict[str, Any] | None = None
    is_routing: bool | None = None


class ServiceAliasUpdate(BaseModel):
    """Body of `aliases.update`; only the fields set are sent."""

    name: str | None = None
    target_path: str | None = None
    description: str | None = None
    request_routing_key: dict[str, Any] | None = None
    routing_key_override: dict[str, Any] | None = None


class Alias(BaseModel):
    """A customer-defined name for a gateway path, optionally routing a routing key."""

    id: str
    name: str
    target_path: str
    customer_id: str | None = None
    owner_id: str | None = None
    description: str | None = None
    request_routing_key: dict[str, Any] | None = None
    routing_key_override: dict[str, Any] | None = None
    is_routing: bool = False
    details: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deactivated_at: datetime | None = None


class SwitchRoutingResponse(BaseModel):
    """Result of `Aliases.switch_routing`: the alias, and the sibling it demoted (if any)."""

    alias: Alias
    demoted_alias_id: str | None = None


class ServiceAliasesPublic(BaseModel):
    """A window of the customer's aliases."""

    data: list[Alias] = Field(default_factory=list)
    count: int = 0


class RecurrentRequestCreate(BaseModel):
    """Body of `recurrent_requests.create`."""

    request_path: str
    http_method: str = "POST"
    service_id: str | None = None
    enrollment_id: str | None = None
    body_template: dict[str, Any] | None = None
    request_headers: dict[str, str] | None = None
    schedule: dict[str, Any] | None = None
    name: str | None = None


class RecurrentRequestUpdate(BaseModel):
    """Body of `recurrent_requests.update`; only the fields set are sent."""

    request_path: str | None = None
    http_method: str | None = None
    body_template: dict[str, Any] | None = None
    request_headers: dict[str, str] | None = None
    schedule: dict[str, Any] | None = None
    status: RecurrentRequestStatusEnum | None = None
    name: str | None = None


class RecurrentRequestPublic(BaseModel):
    """A request the gateway fires on a schedule; ``state`` records its runs."""

    id: str
    status: RecurrentRequestStatusEnum
    customer_id: str
    request_path: str
    http_method: str
    created_at: datetime
    service_id: str | None = None
    enrollment_id: str | None = None
    body_template: dict[str, Any] | None = None
    request_headers: dict[str, str] | None = None
    schedule: dict[str, Any] | None = None
    state: dict[str, Any] | None = None
    name: str | None = None
    updated_at: datetime | None = None


class RecurrentRequestsPublic(BaseModel):
    """A window of the customer's recurrent requests."""

    data: list[RecurrentRequestPublic] = Field(default_factory=list)
    count: int = 0


class LoggingStatusResponse(BaseModel):
    """Whether gateway request logging is on, and in which mode (truncated or complete)."""

    enabled: bool
    mode: str | None = None
    message: str | None = None


class RequestLogListItem(BaseModel):
    """The lightweight columns of one logged gateway request."""

    log_id: str
    event_id: str | None = None
    event_timestamp: datetime
    gateway_source: str | None = None
    user_request_method: str | None = None
    user_request_path: str | None = None
    customer_id: str | None = None
    service_id: str | None = None
    service_enrollment_id: str | None = None
    upstream_response_status_code: int | None = None
    upstream_response_time_ms: float | None = None
    error_source: str | None = None
    error_type: str | None = None
    recurrent_request_id: str | None = None


class RequestLogDetail(RequestLogListItem):
    """One logged request in full: the request and response as stored, usage and error."""

    user_id: str | None = None
    user_request: dict[str, Any] | None = None
    upstream_response: dict[str, Any] | None = None
    usage_event: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


class RequestLogListResponse(BaseModel):
    """A window of request logs, newest first."""

    total_count: int
    skip: int
    limit: int
    items: list[RequestLogListItem] = Field(default_factory=list)


class ResolveCandidate(BaseModel):
    """One service the gateway could route a path to."""

    service_id: str
    service_name: str | None = None
    provider_name: str | None = None
    weight: float | None = None
    enrollment_id: str | None = None


class ResolveResponse(BaseModel):
    """The gateway's routing decision for a path, without calling the upstream."""

    candidates: list[ResolveCandidate]
    routing_strategy: str | None = None
    selected: ResolveCandidate | None = None


class ParameterRequirement(BaseModel):
    """A parameter an enrollment in the service takes."""

    name: str
    description: str | None = None
    required: bool = False
    names_secret: bool = False


class AccessInterfacePlan(BaseModel):
    """A shared interface of the service: where to call it, and any routing key."""

    name: str
    base_url: str | None = None
    routing_key: dict[str, Any] | None = None
    description: str | None = None


class ChannelPlan(BaseModel):
    """How one upstream channel of the service is accessed and priced."""

    name: str
    channel_type: str
    description: str | None = None
    free: bool = False
    price: str | None = None
    currency: str | None = None
    requires_enrollment: bool = False
    required_secrets: list[dict[str, Any]] = Field(default_factory=list)
    default: bool = False


class RoutingEndpointPlan(BaseModel):
    """A platform group the service is also reachable through (``.../g/<name>``)."""

    base_url: str | None = None
    routing_key: dict[str, Any] | None = None
    routing_key_required: bool = False


class AccessPlan(BaseModel):
    """How to use a service: enrollment posture, parameters, interfaces, channels and the
    platform groups routing to it."""

    enrollment_mode: str = "disallowed"
    parameters: list[ParameterRequirement] = Field(default_factory=list)
    interfaces: list[AccessInterfacePlan] = Field(default_factory=list)
    channels: list[ChannelPlan] = Field(default_factory=list)
    routing_endpoints: list[RoutingEndpointPlan] = Field(default_factory=list)
    input_formats: list[str] | None = None
    gateway_type: str = "api"


class ServiceDocument(BaseModel):
    """A service document; renderable ones come rendered against the envelope's interface
    (``content`` is None unless asked for, or for documents fetched by URL)."""

    id: str
    title: str
    category: str
    mime_type: str
    description: str | None = None
    version: str | None = None
    sort_order: int = 0
    external_url: str | None = None
    filename: str | None = None
    meta: dict[str, Any] | None = None
    content: str | None = None
    render_error: str | None = None


class ServiceDocuments(BaseModel):
    """Documents of a service and the interface they were rendered against."""

    interface: str | None = None
    available_interfaces: list[str] = Field(default_factory=list)
    documents: list[ServiceDocument] = Field(default_factory=list)


class GroupMembershipEntry(BaseModel):
    """One of the customer's collections (or the not yet created Favorites, ``id`` None),
    flagged with whether it holds the service."""

    id: str | None
    name: str
    member: bool
    display_name: str | None = None
    is_default: bool = False


class GroupMembership(BaseModel):
    """Which of the customer's collections hold a service."""

    service_id: str
    eligible: bool
    groups: list[GroupMembershipEntry]
