"""The handler contract (issue 11): handlers share typed Context fields, bot.conversation and
knowledge_base.phrases — never each other, and never through imports hidden in functions."""
from __future__ import annotations

import ast
from pathlib import Path

from knowledge_base.phrases import asks_for_person, wants_person

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ("bot", "handlers", "knowledge_base")


def _imports(path: Path):
    """(module imported, inside a function?) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_function = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            in_function.update(id(n) for n in ast.walk(node) if n is not node)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, id(node) in in_function
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, id(node) in in_function


def test_no_handler_imports_another_handler():
    found = [(p.name, m) for p in (ROOT / "handlers").glob("*.py") if p.name != "__init__.py"
             for m, _ in _imports(p) if m == "handlers" or m.startswith("handlers.")]
    assert found == []


def test_handlers_and_the_pipeline_import_nothing_of_ours_inside_functions():
    files = [*(ROOT / "handlers").glob("*.py"),
             *(ROOT / "bot" / name for name in ("pipeline.py", "understand.py", "conversation.py"))]
    found = [(p.name, m) for p in files for m, inside in _imports(p)
             if inside and m.split(".")[0] in PROJECT]
    assert found == []


def test_one_list_of_words_for_asking_for_a_person():
    for text in ("转人工", "人工客服", "人工服务", "找人工", "我要人工", "真人", "找工作人员"):
        assert asks_for_person(text) and wants_person(text), text
    # "that did not help" is a request for a person only as a short reply to an answer or a menu
    assert asks_for_person("不对") and not wants_person("水管还是不对劲")
    assert asks_for_person("0") and not wants_person("0")
