"""pyproject lists packages explicitly: every subpackage must be in the list,
or an installed (non-editable) kgbuild fails to import it."""

from __future__ import annotations

import tomllib
from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).resolve().parent.parent


def test_packaging_lists_every_subpackage():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"])
    found = {p for p in find_packages(ROOT, include=["kgbuild", "kgbuild.*"])}
    assert found <= listed, sorted(found - listed)
