"""Typed settings for FAQ matching (`faq:` config section) and ticket routing (`routing:`)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, field_validator, model_validator

from .loader import ROUTES

DEFAULT_ROUTING_FILE = Path(__file__).with_name("routing_default.yaml")


class FaqSettings(BaseModel):
    """Matcher thresholds; p = calibrated probability that the top FAQ is right."""
    answer_threshold: float = Field(0.6, ge=0, le=1)
    suggest_threshold: float = Field(0.05, ge=0, le=1)
    margin: float = Field(0.1, ge=0, le=1)
    max_suggestions: int = Field(3, ge=1, le=9)
    candidate_pool: int = Field(12, ge=3, le=100)   # candidates scored by the reranker
    menu_ratio: float = Field(0.2, ge=0, le=1)      # menu options scoring >= this x the best one
    use_guards: bool = True
    urgent_threshold: float = Field(0.8, ge=0, le=1)    # p(danger now) for the full alarm
    caution_threshold: float = Field(0.4, ge=0, le=1)   # p(danger now): a person, never a menu
    intent_threshold: float = Field(0.6, ge=0, le=1)    # intent guards (case status, complaint, …)
    clause_safety: bool = True    # a clause that is clearly an emergency raises the whole message
    clause_threshold: float = Field(0.85, ge=0, le=1)   # ... when its p(danger now) reaches this
    clause_gate: float = Field(0.05, ge=0, le=1)        # clauses are read only above this whole-message p
    intent_override: float = Field(0.9, ge=0, le=1.01)  # an FAQ this sure outranks an intent guard
    action_threshold: float = Field(0.3, ge=0, le=1)    # a request for action this likely: no menu
    model_file: str | None = None                   # reranker weights JSON; None = shipped file
    embedding_cache: str | None = None              # knowledge-base embedding cache file; None = user cache dir

    @model_validator(mode="after")
    def _order(self):
        if self.suggest_threshold > self.answer_threshold:
            raise ValueError("suggest_threshold must be <= answer_threshold")
        return self


class RoutingRule(BaseModel):
    """A keyword/regex rule that sends a handed-off message to a ticket category."""
    name: str
    category: str
    priority: Literal["urgent", "high", "normal", "low"] = "normal"
    keywords: list[str] = []
    patterns: list[str] = []

    @field_validator("category")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in ROUTES:
            raise ValueError(f"unknown category {v!r}")
        return v

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, v: list[str]) -> list[str]:
        for p in v:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"bad pattern {p!r}: {exc}") from exc
        return v


def _default_rules() -> list[RoutingRule]:
    return [RoutingRule(**r) for r in _default_rule_dicts()]


@lru_cache(maxsize=1)
def _default_rule_dicts() -> tuple[dict, ...]:
    data = yaml.safe_load(DEFAULT_ROUTING_FILE.read_text(encoding="utf-8")) or {}
    return tuple(data.get("rules", []))


class RoutingSettings(BaseModel):
    """Ordered routing rules; the first rule that matches wins. Defaults: routing_default.yaml."""
    rules: list[RoutingRule] = Field(default_factory=_default_rules)
    default_category: str = "other"
    fallback_min_score: float = 0.1    # nearest-FAQ route used only above this probability
    # "rules": configured rules, then the nearest FAQ's route, then the category by meaning;
    # "semantic": the category by meaning first (measured worse on both development sets)
    prefer: Literal["semantic", "rules"] = "rules"
    semantic_min_score: float = Field(0.5, ge=0, le=1)   # the category by meaning needs this p
