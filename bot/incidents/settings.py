"""The `incidents:` config section (typed; validated with the rest of config.yaml)."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class IncidentSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Grouping: this many similar reports within the window (same topic, same or no building) and no
    # incident open -> ONE proposal to the duty pair.
    proposal_reports: int = Field(default=3, ge=2)
    proposal_window_min: int = Field(default=30, ge=1)
    match_threshold: float = Field(default=0.6, gt=0, le=1)
    # `通报 …` links similar reports this far back that are not linked to anything yet.
    link_window_min: int = Field(default=120, ge=1)
    # A recovered incident keeps answering questions this long ("已于18:05恢复").
    answer_after_recovery_min: int = Field(default=120, ge=0)
    # WeChat limits: customer-service messages reach a user only within 48 hours of their last
    # message, and at most 5 per such window (rule since June 2023); broadcasts are paced.
    window_hours: int = Field(default=48, ge=1)
    per_user_quota: int = Field(default=5, ge=1)
    broadcast_per_minute: int = Field(default=600, ge=1)
    # One reminder to the duty pair when the expected time has passed this long without an update.
    remind_after_expected_min: int = Field(default=15, ge=1)
    # The community's buildings and their units, for the console's place picker: {"5": ["1", "2"]}.
    buildings: dict[str, list[str]] = Field(default_factory=dict)
