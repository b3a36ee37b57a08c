"""kgbuild's data files (lexicons, actor tables, event types, queries): the one way to read them.

Every module reads its data through these functions, so that the files are
found the same way from a source checkout, an installed wheel or a zip
(importlib.resources), and each file is parsed once per process.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["data_path", "read_json", "read_lines", "read_text"]


def data_path(name: str) -> Path:
    """A data file as a filesystem path (for readers that need one, e.g. fingerprints and mtimes)."""
    return Path(str(resources.files(__name__).joinpath(name)))


@functools.lru_cache(maxsize=None)
def read_text(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text("utf-8")


@functools.lru_cache(maxsize=None)
def read_json(name: str) -> Any:
    """Parsed JSON (shared between callers: do not mutate it)."""
    return json.loads(read_text(name))


@functools.lru_cache(maxsize=None)
def read_lines(name: str) -> tuple[str, ...]:
    """Non-empty lines without '#' comments, stripped."""
    lines = (line.split("#", 1)[0].strip() for line in read_text(name).splitlines())
    return tuple(line for line in lines if line)
