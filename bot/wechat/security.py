"""Signature checks (constant-time), timestamp freshness and hostile-XML screening."""
from __future__ import annotations

import hashlib
import hmac

from defusedxml import ElementTree as SafeET
from defusedxml import DefusedXmlException


class BadRequest(Exception):
    """The request is malformed: answer 400."""


class Forbidden(Exception):
    """The request is not from WeChat (signature or timestamp): answer 403."""


def sha1_signature(*parts: str) -> str:
    """WeChat's signature: SHA-1 of the lexicographically sorted parts, concatenated."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def verify_signature(expected_parts: tuple[str, ...], given: str | None) -> None:
    """Raise Forbidden unless `given` matches, compared in constant time."""
    if not given:
        raise Forbidden("missing signature")
    if not hmac.compare_digest(sha1_signature(*expected_parts).encode(), given.encode("utf-8", "replace")):
        raise Forbidden("bad signature")


def check_timestamp(timestamp: str | None, now: float, window_s: int) -> None:
    """Refuse timestamps outside now ± window (replays and clock games)."""
    if not timestamp or not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        raise Forbidden("missing or malformed timestamp")
    if abs(int(timestamp) - now) > window_s:
        raise Forbidden("stale or future timestamp")


def screen_xml(body: bytes | str) -> None:
    """Reject XML that is not well-formed or declares a DTD/entities (XXE, billion laughs)."""
    try:
        root = SafeET.fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise BadRequest(f"forbidden XML construct: {type(exc).__name__}") from None
    except (SafeET.ParseError, ValueError, TypeError) as exc:
        raise BadRequest(f"malformed XML: {exc}") from None
    if root.tag != "xml":
        raise BadRequest("root element is not <xml>")
