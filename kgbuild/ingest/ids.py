"""Doc ids: a safe file stem, a URL hash or a content hash (stable across runs); `check_id` for any id."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from ..errors import InputError

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")

# Names kgbuild gives its own named graphs under {base}graph/: an article with
# such an id would share its graph IRI.  "coref" is the cross-document
# coreference layer ({base}graph/coref, kgbuild.rdf.coref.COREF_GRAPH).
RESERVED_IDS = frozenset({"coref"})

# Control characters (C0, DEL, C1), line and paragraph separators, and lone
# surrogates: no RDF syntax, JSON Lines file or terminal line carries them safely.
_BAD_ID_CHAR = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def stem_id(path: Path) -> str | None:
    """The file stem when it is a safe id and not reserved, else None (use a hash)."""
    stem = path.stem
    return stem if _SAFE_ID.fullmatch(stem) and stem not in RESERVED_IDS else None


# Names a saved web page gets from its server's default document, not from
# its content: such a stem names no article, so a page called index.html keeps
# the URL (or content) id.
GENERIC_HTML_STEMS = frozenset({"index", "default", "home", "main"})


def html_stem_id(path: Path) -> str | None:
    """stem_id for a saved web page, None for a generic name such as index.html."""
    stem = stem_id(path)
    return stem if stem is not None and stem.lower() not in GENERIC_HTML_STEMS else None


def check_id(doc_id: str) -> str:
    """The id every later stage sees: NFC, or InputError when it cannot be one.

    NFC first, so "Café" typed precomposed and decomposed is one id (and
    two such articles are duplicates, not two articles sharing one graph).
    Refused: control characters (NUL, newline, tab ...), U+2028/U+2029,
    lone surrogates, and the reserved names of kgbuild's own graphs.
    """
    bad = _BAD_ID_CHAR.search(doc_id)
    if bad:
        char = bad.group(0)
        what = (
            "a lone surrogate"
            if "\ud800" <= char <= "\udfff"
            else "a line separator"
            if char in "\u2028\u2029"
            else "a control character"
        )
        raise InputError(f"doc id {_quoted(doc_id)} contains {what} (U+{ord(char):04X}); ids must be printable")
    doc_id = unicodedata.normalize("NFC", doc_id)
    if doc_id in RESERVED_IDS:
        raise InputError(
            f"doc id {doc_id!r} is reserved (kgbuild's own graph {{base}}graph/{doc_id}); give the article another id"
        )
    return doc_id


def _quoted(doc_id: str) -> str:
    """The id in quotes, every unprintable character escaped, cut to 60 characters."""

    def safe(ch: str) -> str:
        if ch.isprintable() and not "\ud800" <= ch <= "\udfff":
            return ch
        return ch.encode("unicode_escape", "backslashreplace").decode("ascii")

    text = "".join(map(safe, doc_id[:60]))
    return f'"{text}"' + ("..." if len(doc_id) > 60 else "")


def url_id(url: str) -> str:
    return "u" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def content_id(text: str) -> str:
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:16]
