"""Shared fixtures for the knowledge-base tests: a small FAQ and its matcher."""
import pytest

from knowledge_base.loader import parse_kb
from knowledge_base.matcher import Matcher
from knowledge_base.settings import FaqSettings
from tests.kb.small_kb import KB


@pytest.fixture(scope="module")
def matcher():
    return Matcher(parse_kb(KB), FaqSettings())
