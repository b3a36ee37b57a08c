"""Doc ids: a safe file stem, a URL hash or a content hash (stable across runs)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def stem_id(path: Path) -> str | None:
    stem = path.stem
    return stem if _SAFE_ID.fullmatch(stem) else None


def url_id(url: str) -> str:
    return "u" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def content_id(text: str) -> str:
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:16]
