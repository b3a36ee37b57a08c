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
    tree, flattened = _parse_deep(html)
    if tree is None:
        raise InputError("no text in HTML")
    metadata_tree = _head_only(tree) if flattened else None
    _drop_never_text(tree)
    # trafilatura takes minutes on a flattened page (thousands of <br>s), and
    # its notion of a main text means little there: all the text is taken.
    main = "" if flattened else _trafilatura_text(tree)
    text = normalize_text(main or _plain_text(tree)).strip("\n")
    if not text.strip():
        raise InputError("no text in HTML")
    title, day, url = _html_metadata(html, metadata_tree)
    title = title or _html_title(tree) or first_line(text)
    return text, title, day or find_dateline(text), url


def _parse_html(html: str) -> Any:
    return _parse_checked(html)[0]


def _parse_checked(html: str) -> tuple[Any, bool]:
    """(tree or None, whether libxml2 stopped at its nesting limit)."""
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser()
    try:
        tree = lxml.html.document_fromstring(html, parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        tree = None
    too_deep = any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)
    return tree, too_deep


# libxml2 drops everything below its 256th level of nesting (and, for a page
# that deep, may keep nothing at all).  Deeper pages are flattened first:
# elements below this depth lose their tags (block elements become <br>) but
# never their text.
MAX_DEPTH = 200


def _parse_deep(html: str) -> tuple[Any, bool]:
    """Parse a page however deeply it nests: (tree or None, whether it was flattened).

    Normal pages are parsed as they are.  When libxml2 hit its nesting limit,
    the page is flattened (_flatten) and parsed again; were it still too deep,
    that is an InputError, never a silently shortened text.
    """
    tree, too_deep = _parse_checked(html)
    if not too_deep:
        return tree, False
    tree, too_deep = _parse_checked(_flatten(html, MAX_DEPTH))
    if too_deep:
        raise InputError(f"HTML nested too deeply to read in full (more than {MAX_DEPTH} levels)")
    return tree, True


def _head_only(tree: Any) -> Any:
    """A copy of the page without its <body> (metadata of a flattened page)."""
    head = copy.deepcopy(tree)
    for body in head.findall(".//body"):
        body.getparent().remove(body)
    return head


_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"  # a comment
    r"|<(script|style|textarea|title|xmp)\b[^>]*>.*?(?:</\1\s*>|\Z)"  # an element whose content is raw text
    r"|<(/?)([A-Za-z][^\s/>]*)[^>]*>"  # a start or end tag
    r"|<[!?][^>]*>",  # a doctype or processing instruction
    re.DOTALL | re.IGNORECASE,
)


def _flatten(html: str, limit: int) -> str:
    """The page with every element nested deeper than `limit` unwrapped.

    One linear, non-recursive regular-expression pass: text is kept as
    written (entities included), start and end tags within the limit are
    kept, tags below it are dropped and a dropped block element leaves a
    <br> so its text stays on its own line; scripts and styles below the
    limit and all comments go (they are never text).  Nesting is tracked as
    a stack of open elements: an end tag closes up to its matching start
    tag, one without a match is ignored.
    """
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (tag, kept)
    pos = 0
    for m in _TOKEN.finditer(html):
        out.append(html[pos : m.start()])
        pos = m.end()
        token = m.group(0)
        raw_tag, closing, name = m.group(1), m.group(2), m.group(3)
        if raw_tag:
            raw_tag = raw_tag.lower()
            if len(stack) < limit:
                out.append(token)
            elif raw_tag not in _NEVER_TEXT:
                out.append(" " + token[token.index(">") + 1 :].rsplit("<", 1)[0] + " ")
            continue
        if name is None:
            if not token.startswith("<!--"):
                out.append(token)
            continue
        tag = name.lower()
        block = "<br>" if tag in _BLOCKS else ""
        if closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == tag:
                    out.extend(
                        f"</{t}>" if kept else ("<br>" if t in _BLOCKS else "") for t, kept in reversed(stack[i:])
                    )
                    del stack[i:]
                    break
        elif tag in _VOID or token.endswith("/>"):
            out.append(token if len(stack) < limit else block)
        else:
            kept = len(stack) < limit
            stack.append((tag, kept))
            out.append(token if kept else block)
    out.append(html[pos:])
    return _RUN_OF_BREAKS.sub("<br>", "".join(out))


_RUN_OF_BREAKS = re.compile(r"(?:<br>\s*){2,}")


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


def _html_metadata(html: str, tree: Any = None) -> tuple[str | None, str | None, str | None]:
    """(title, date, url) from trafilatura's metadata, None where unknown.

    Date search is not "extensive": that mode turns a "© 2015" footer into
    a publication date of 2015-01-01.  `tree`, when given, is searched
    instead of a fresh parse of `html`.
    """
    import trafilatura

    if tree is None:
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
