"""Data risk: what a span type (or quality schema) does and which kinds of data it handles."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field

import sdkcore

__all__ = [
    "ACTION_NAMES",
    "CATEGORY_NAMES",
    "CLASSIFICATIONS",
    "INCLUSIONS",
    "PERMISSIONS",
    "ActionProfile",
    "Classification",
    "DataCategories",
    "DataRisk",
    "Inclusion",
    "Permission",
]

Permission = Literal["unknown", "allowed", "disallowed"]
"""Whether a span may perform an action."""
Inclusion = Literal["unknown", "included", "excluded"]
"""Whether a kind of data is present."""
Classification = Literal["unknown", "public", "internal", "confidential", "restricted", "secret"]
"""Confidentiality of the data, least to most sensitive after ``unknown``."""

PERMISSIONS: tuple[str, ...] = get_args(Permission)
INCLUSIONS: tuple[str, ...] = get_args(Inclusion)
CLASSIFICATIONS: tuple[str, ...] = get_args(Classification)


class ActionProfile(sdkcore.BaseModel):
    """Which actions a span type performs."""

    create_data: Permission = "unknown"
    read_data: Permission = "unknown"
    update_data: Permission = "unknown"
    destroy_data: Permission = "unknown"
    financial_transactions: Permission = "unknown"
    external_communication: Permission = "unknown"


class DataCategories(sdkcore.BaseModel):
    """Which kinds of data are present in a payload, and how confidential it is."""

    personal_identifiers: Inclusion = "unknown"
    contact_information: Inclusion = "unknown"
    financial_information: Inclusion = "unknown"
    health_and_medical: Inclusion = "unknown"
    criminal_justice: Inclusion = "unknown"
    authentication_and_secrets: Inclusion = "unknown"
    organisational_confidential: Inclusion = "unknown"
    minors_data: Inclusion = "unknown"
    location_and_tracking: Inclusion = "unknown"
    behavioural_and_inferred: Inclusion = "unknown"
    gdpr_racial_or_ethnic_origin: Inclusion = "unknown"
    gdpr_political_opinions: Inclusion = "unknown"
    gdpr_religious_or_philosophical_beliefs: Inclusion = "unknown"
    gdpr_trade_union_membership: Inclusion = "unknown"
    gdpr_genetic_data: Inclusion = "unknown"
    gdpr_biometric_for_identification: Inclusion = "unknown"
    gdpr_sex_life_or_sexual_orientation: Inclusion = "unknown"
    classification: Classification = "unknown"


class DataRisk(sdkcore.BaseModel):
    """The data risk of a span type: its actions and the data in its params and result."""

    action_profile: ActionProfile = Field(default_factory=ActionProfile)
    params_data_categories: DataCategories = Field(default_factory=DataCategories)
    result_data_categories: DataCategories = Field(default_factory=DataCategories)


ACTION_NAMES: tuple[str, ...] = tuple(ActionProfile.model_fields)
CATEGORY_NAMES: tuple[str, ...] = tuple(
    name for name in DataCategories.model_fields if name != "classification"
)
