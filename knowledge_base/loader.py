"""Load, validate and dump the FAQ knowledge base (YAML, format in DESIGN.md)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import yaml

ROUTES = ("consult", "certificate", "repair", "dispute", "complaint", "aid",
          "activity", "suggestion", "urgent", "other")
# WeChat passive text replies are limited to 2048 bytes of UTF-8.
MAX_ANSWER_BYTES = 2048
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
# Caps checked before anything is built: a community FAQ has hundreds of entries, not tens of thousands.
MAX_ENTRIES = 5000
MAX_KB_BYTES = 5 * 1024 * 1024


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases: nested aliases expand to gigabytes (billion laughs)."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None, None, "YAML anchors and aliases (&name / *name) are not allowed in FAQ files",
                event.start_mark)
        return super().compose_node(parent, index)


@dataclass(frozen=True)
class FaqEntry:
    """One FAQ: a canonical question, alternative phrasings and the answer."""
    id: str
    question: str
    alt_questions: tuple[str, ...]
    answer: str
    category: str
    route: str
    tags: tuple[str, ...]
    enabled: bool = True

    @property
    def all_questions(self) -> tuple[str, ...]:
        return (self.question, *self.alt_questions)


class KnowledgeBaseError(ValueError):
    """A knowledge-base file is malformed; the message names file, entry, line and reason."""


def _where(source: str, index: int | None, fid: Any, line: int | None) -> str:
    parts = [source]
    if line is not None:
        parts[0] = f"{source}:{line}"
    if index is not None:
        parts.append(f"entry #{index}" + (f" ({fid})" if fid else ""))
    return ": ".join(parts)


def _err(source, index, fid, reason, line=None) -> KnowledgeBaseError:
    return KnowledgeBaseError(f"{_where(source, index, fid, line)}: {reason}")


def _str_list(value: Any, what: str, source, index, fid, line) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise _err(source, index, fid, f"{what} must be a list of strings", line)
    return tuple(str(v).strip() for v in value if v is not None and str(v).strip())


def _entry_lines(text: str) -> list[int | None]:
    """Line numbers (1-based) of each item under `faqs:` from the YAML node marks."""
    try:
        root = yaml.compose(text, Loader=_NoAliasLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if getattr(key, "value", None) == "faqs" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _to_entry(raw: Any, index: int, source: str, line: int | None) -> FaqEntry:
    if not isinstance(raw, dict):
        raise _err(source, index, None, "entry must be a mapping", line)
    fid = raw.get("id")
    if fid is None or not str(fid).strip():
        raise _err(source, index, None, "id is missing", line)
    fid = str(fid).strip()
    alts = _str_list(raw.get("alt_questions"), "alt_questions", source, index, fid, line)
    tags = _str_list(raw.get("tags"), "tags", source, index, fid, line)
    enabled = raw.get("enabled", True)
    return FaqEntry(
        id=fid, question=str(raw.get("question") or "").strip(), alt_questions=alts,
        answer=str(raw.get("answer") or "").strip(), category=str(raw.get("category") or "").strip(),
        route=str(raw.get("route") or "consult").strip(), tags=tags, enabled=bool(enabled))


def parse_kb(text: str, source: str = "<string>") -> list[FaqEntry]:
    """Parse and validate YAML text in the DESIGN.md format (no aliases; size and entry caps)."""
    if len(text.encode("utf-8")) > MAX_KB_BYTES:
        raise _err(source, None, None, f"file too large (over {MAX_KB_BYTES // (1024 * 1024)} MB)")
    try:
        data = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise _err(source, None, None, f"invalid YAML: {reason}", line) from exc
    if not isinstance(data, dict) or not isinstance(data.get("faqs"), list):
        raise _err(source, None, None, "top level must be a mapping with a 'faqs' list")
    if len(data["faqs"]) > MAX_ENTRIES:
        raise _err(source, None, None, f"too many entries ({len(data['faqs'])} > {MAX_ENTRIES})")
    lines = _entry_lines(text)
    entries = []
    for i, raw in enumerate(data["faqs"], start=1):
        line = lines[i - 1] if i - 1 < len(lines) else None
        entries.append(_to_entry(raw, i, source, line))
    validate_entries(entries, source, lines=lines)
    return entries


def load_kb(path) -> list[FaqEntry]:
    """Read and validate a knowledge-base YAML file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeBaseError(f"{p.name}: cannot read: {exc}") from exc
    return parse_kb(text, source=p.name)


def validate_entries(entries: Iterable[FaqEntry], source: str = "<entries>",
                     lines: list[int | None] | None = None) -> None:
    """Raise KnowledgeBaseError on the first invalid entry."""
    seen: dict[str, int] = {}
    for i, e in enumerate(entries, start=1):
        line = lines[i - 1] if lines and i - 1 < len(lines) else None
        if not ID_PATTERN.match(e.id or ""):
            raise _err(source, i, e.id, "id must be a slug of lowercase letters, digits and _ "
                       "starting with a letter", line)
        if e.id in seen:
            raise _err(source, i, e.id, f"duplicate id (first used by entry #{seen[e.id]})", line)
        seen[e.id] = i
        if not e.question.strip():
            raise _err(source, i, e.id, "question is empty", line)
        if not e.answer.strip():
            raise _err(source, i, e.id, "answer is empty", line)
        if e.route not in ROUTES:
            raise _err(source, i, e.id, f"unknown route {e.route!r} (expected one of "
                       f"{', '.join(ROUTES)})", line)
        size = len(e.answer.encode("utf-8"))
        if size > MAX_ANSWER_BYTES:
            raise _err(source, i, e.id, f"answer is too long for a WeChat text reply "
                       f"({size} bytes UTF-8 > {MAX_ANSWER_BYTES})", line)


def entry_to_dict(e: FaqEntry) -> dict:
    d = {"id": e.id, "question": e.question, "alt_questions": list(e.alt_questions),
         "answer": e.answer, "category": e.category, "route": e.route, "tags": list(e.tags)}
    if not e.enabled:
        d["enabled"] = False
    return d


def dump_kb(entries: Iterable[FaqEntry], meta: dict | None = None) -> str:
    """YAML text that parse_kb/load_kb round-trips."""
    entries = list(entries)
    doc = {"meta": dict(meta or {"version": 1}), "faqs": [entry_to_dict(e) for e in entries]}
    doc["meta"].setdefault("count", len(entries))
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120)
