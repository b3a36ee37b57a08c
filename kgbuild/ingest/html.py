"""Saved web pages: the main text, title, date and URL."""

from __future__ import annotations

import copy
import re
from typing import Any

from ..errors import InputError
from .text import SURROGATES, find_dateline, first_line, normalize_date, normalize_text

_NEVER_TEXT = ("script", "style", "noscript", "template")
_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table td th tr ul".split()
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


def looks_like_html(text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")[:1024].lower()
    return head.startswith(("<!doctype", "<html")) or (head.startswith("<?xml") and "<html" in head)


def html_parts(html: str) -> tuple[str, str, str | None, str | None]:
    """(text, title, date, url) of a web page; InputError if it has no text.

    The main text comes from trafilatura, run on a tree from which script,
    style, noscript and template elements were removed first, so their
    content can never leak into the text.  Metadata (title, date, canonical
    url) comes from the untouched page, as it often lives in JSON-LD.
    """
    html = _XML_DECLARATION.sub("", normalize_text(html))
    tree = _parse_html(html)
    if tree is None:
        raise InputError("no text in HTML")
    _drop_never_text(tree)
    text = normalize_text(_trafilatura_text(tree) or _plain_text(tree)).strip("\n")
    if not text.strip():
        raise InputError("no text in HTML")
    title, day, url = _html_metadata(html)
    title = title or _html_title(tree) or first_line(text)
    return text, title, day or find_dateline(text), url


def _parse_html(html: str) -> Any:
    import lxml.etree
    import lxml.html

    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        return None


def _drop_never_text(tree: Any) -> None:
    import lxml.etree

    doomed = [el for el in tree.iter(*_NEVER_TEXT, lxml.etree.Comment, lxml.etree.ProcessingInstruction)]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()  # keeps the tail text that follows the element


def _trafilatura_text(tree: Any) -> str:
    """The article body as trafilatura sees it ("" when it finds none)."""
    import trafilatura

    try:
        text = trafilatura.extract(copy.deepcopy(tree), include_comments=False, favor_recall=True)
    except Exception:  # a third-party parser bug must not stop the run: fall back
        return ""
    return text or ""


def _plain_text(tree: Any) -> str:
    """Fallback: all text of <body>, one line per block element."""
    body = tree.find(".//body")
    if body is None:
        return ""
    for el in body.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCKS:
            el.tail = "\n" + (el.tail or "")
    lines = (" ".join(line.split()) for line in body.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _html_metadata(html: str) -> tuple[str | None, str | None, str | None]:
    """(title, date, url) from trafilatura's metadata, None where unknown.

    Date search is not "extensive": that mode turns a "© 2015" footer into
    a publication date of 2015-01-01.
    """
    import trafilatura

    tree = _parse_html(html)
    if tree is None:
        return None, None, None
    try:
        meta = trafilatura.extract_metadata(tree, extensive=False)
    except Exception:  # metadata is optional; a parser bug must not lose the article
        return None, None, None
    title = clean_field(meta.title)
    day = normalize_date(meta.date) if meta.date else None
    url = clean_field(meta.url)
    return title, day, url


def _html_title(tree: Any) -> str:
    for xpath in ("//title", "//h1"):
        for el in tree.xpath(xpath):
            text = " ".join(el.text_content().split())
            if text:
                return text
    return ""


def clean_field(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(normalize_text(SURROGATES.sub("\ufffd", value)).split())
    return value or None
