"""Linli knowledge base: FAQ loading, Chinese text normalisation, matching, guards and routing."""
from .loader import (FaqEntry, KnowledgeBaseError, MAX_ANSWER_BYTES, ROUTES, dump_kb, load_kb,
                     parse_kb, validate_entries)
from .settings import FaqSettings, RoutingRule, RoutingSettings

__all__ = ["FaqEntry", "KnowledgeBaseError", "MAX_ANSWER_BYTES", "ROUTES", "dump_kb", "load_kb",
           "parse_kb", "validate_entries", "FaqSettings", "RoutingRule", "RoutingSettings"]
