"""Project code uses libraries through their public API: no private module or name of aiogram,
aiohttp or SQLAlchemy (or any other library) is imported, and no private attribute is read
from anything but the object's own class."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ("bot", "handlers", "services", "db", "bench")
# Public by Python's own documentation despite the underscore.
DOCUMENTED = {"_replace", "_asdict", "_fields", "_make", "_exit", "_env_file", "_current_frames"}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name not in DOCUMENTED


def _findings(path: Path) -> list[str]:
    found = []
    tree = ast.parse(path.read_text(), str(path))
    where = path.relative_to(ROOT)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            owner = node.value
            if not (isinstance(owner, ast.Name) and owner.id in {"self", "cls"}):
                found.append(f"{where}:{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if any(_private(part) for part in parts) or any(_private(a.name) for a in node.names):
                found.append(f"{where}:{node.lineno}: from {node.module} import …")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if any(_private(part) for part in alias.name.split(".")):
                    found.append(f"{where}:{node.lineno}: import {alias.name}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "setattr", "hasattr", "delattr"}
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _private(node.args[1].value)
        ):
            found.append(f"{where}:{node.lineno}: {node.func.id}(…, {node.args[1].value!r})")
        elif isinstance(node, ast.keyword) and node.arg and _private(node.arg):
            found.append(f"{where}:{node.lineno}: keyword {node.arg}=")
    return found


def test_no_private_names_of_other_code():
    files = [
        path
        for folder in PROJECT
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
    ]
    assert files
    found = [finding for path in sorted(files) for finding in _findings(path)]
    assert found == []


def test_the_check_sees_a_private_name(tmp_path, monkeypatch):
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from aiogram.utils import keyboard\n"
        "from sqlalchemy.util._collections import immutabledict\n"
        "def f(observer, builder, session):\n"
        "    session.prepare_value(1, _dumps_json=False)\n"
        "    return observer._handler, builder._markup, getattr(observer, '_tasks', ())\n"
    )
    assert sorted(line.split(": ", 1)[1] for line in _findings(sample)) == [
        "._handler",
        "._markup",
        "from sqlalchemy.util._collections import …",
        "getattr(…, '_tasks')",
        "keyword _dumps_json=",
    ]
