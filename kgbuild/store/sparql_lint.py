"""Checks on SPARQL text before it runs: offline means offline, and misspelt terms are named.

kgbuild runs offline, but Oxigraph evaluates `SERVICE <http://...>` by making
HTTP requests (and a server that never answers hangs the query).  So
`SERVICE` is refused unless the caller allows it.  The check is lexical: the
query is split into tokens with strings, IRIs and comments skipped, so a
label or comment that says "service" does not trip it, and `ex:service` or
`?service` are names, not the keyword.

`unknown_terms` lists `kgb:` terms (prefixed or as full IRIs) that the
ontology does not define, each with the nearest defined term: a query with a
misspelt class or property otherwise just returns nothing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator

# One alternation, tried in order: things to skip first, then the tokens we look at.
_TOKENS = re.compile(
    r'''(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""|'\'\'(?:[^'\\]|\\.|'(?!''))*'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\#[^\n]*)'''
    r"|(?P<iri><[^<>\"{}|^`\\\s]*>)"
    r"|(?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)"
    r"|(?P<pname>[A-Za-z][\w.-]*:[\w.%:-]*|:[\w.%:-]*)"
    r"|(?P<word>[A-Za-z_][\w-]*)",
    re.UNICODE,
)


def _tokens(sparql: str) -> Iterator[tuple[str, str]]:
    for m in _TOKENS.finditer(sparql):
        kind = m.lastgroup or ""
        if kind != "skip":
            yield kind, m.group(kind)


def uses_service(sparql: str) -> bool:
    """True if the query has a SERVICE clause (the keyword, not a name or a string)."""
    return any(kind == "word" and text.upper() == "SERVICE" for kind, text in _tokens(sparql))


def unknown_terms(
    sparql: str, namespace: str, known: Iterable[str], prefixes: dict[str, str]
) -> list[tuple[str, str | None]]:
    """(term as written, nearest known local name or None) for each unknown term of `namespace`.

    `prefixes` are the defaults the store adds; PREFIX declarations in the
    query override them."""
    declared = dict(prefixes)
    tokens = list(_tokens(sparql))
    for i, (kind, text) in enumerate(tokens):
        if kind == "word" and text.upper() == "PREFIX" and i + 2 < len(tokens):
            (k1, name), (k2, ref) = tokens[i + 1], tokens[i + 2]
            if k1 == "pname" and name.endswith(":") and k2 == "iri":
                declared[name[:-1]] = ref[1:-1]
    names = set(known)
    unknown: dict[str, str | None] = {}
    iri: str | None
    for i, (kind, text) in enumerate(tokens):
        if kind == "pname":
            if i and tokens[i - 1][0] == "word" and tokens[i - 1][1].upper() == "PREFIX":
                continue
            prefix, _, local = text.partition(":")
            base = declared.get(prefix)
            iri = base + local if base is not None else None
        elif kind == "iri":
            if any(t[0] == "word" and t[1].upper() in ("PREFIX", "BASE") for t in tokens[max(0, i - 2) : i]):
                continue  # the IRI of a PREFIX or BASE declaration
            iri = text[1:-1]
        else:
            continue
        if iri is None or not iri.startswith(namespace):
            continue
        local = iri[len(namespace) :]
        if local and local not in names and text not in unknown:
            near = difflib.get_close_matches(local, sorted(names), n=1, cutoff=0.6)
            unknown[text] = near[0] if near else None
    return sorted(unknown.items())
