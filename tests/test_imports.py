"""The package holds together: every import inside it resolves, every `__all__` is sorted and importable.

Lazy imports inside functions are only executed on some code paths, so a
module moved without updating one fails late, as an internal error on a
user's machine; this reads every `from ... import` statically instead.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

import kgbuild

ROOT = Path(kgbuild.__file__).resolve().parent
MODULES = sorted(ROOT.rglob("*.py"))


def module_name(path: Path) -> tuple[str, str]:
    """(module, package it is in) for a file of the package."""
    parts = ("kgbuild", *path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), ".".join(parts[:-1])
    return ".".join(parts), ".".join(parts[:-1])


def imports(path: Path):
    module, package = module_name(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        if target == "kgbuild" or target.startswith("kgbuild."):
            yield node.lineno, target, [a.name for a in node.names]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_kgbuild_import_resolves(path: Path):
    for line, target, names in imports(path):
        assert importlib.util.find_spec(target) is not None, f"{path.name}:{line}: no module {target}"
        module = importlib.import_module(target)
        for name in names:
            assert hasattr(module, name) or importlib.util.find_spec(f"{target}.{name}") is not None, (
                f"{path.name}:{line}: {target} has no {name}"
            )


PACKAGES = sorted(module_name(p)[0] for p in MODULES if p.name == "__init__.py")


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_and_importable(name: str):
    module = importlib.import_module(name)
    public = getattr(module, "__all__", None)
    if public is None:
        return
    assert list(public) == sorted(public), f"{name}.__all__ is not sorted"
    for item in public:
        assert hasattr(module, item), f"{name}.__all__ names {item}, which it does not define"


def test_python_dash_m_kgbuild_runs():
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "kgbuild", "--version"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.startswith("kgbuild ")
