"""Rendering query results as a text table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import re

from ..errors import UsageError
from .sparql import QueryResult, default_prefixes


def render(result: QueryResult, fmt: str = "table") -> str:
    if result.boolean is not None:
        return json.dumps({"boolean": result.boolean}) + "\n" if fmt == "json" else f"{str(result.boolean).lower()}\n"
    if fmt == "json":
        rows = [dict(zip(result.variables, row)) for row in result.rows]
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(result.variables)
        for row in result.rows:
            w.writerow(["" if v is None else v for v in row])
        return buf.getvalue()
    if fmt == "table":
        return _table(result)
    raise UsageError(f"unknown output format {fmt!r}; choose table, csv or json")


_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+$")
_LOCAL = re.compile(r"^[A-Za-z_][\w.-]*(?<!\.)$")


def _compact(iri: str, prefixes: dict[str, str]) -> str:
    """kgb:Attack for a term of a known namespace, else the IRI in full (never cut: it is an identifier)."""
    best = ""
    for prefix, base in prefixes.items():
        if iri.startswith(base) and len(base) > len(best) and _LOCAL.match(iri[len(base) :]):
            best, name = base, f"{prefix}:{iri[len(base) :]}"
    return name if best else iri


def _table(result: QueryResult, width: int = 60) -> str:
    prefixes = default_prefixes()  # once per table, not per cell

    def cell(v: str | None) -> str:
        if v is not None and _IRI.match(v):
            return _compact(v, prefixes)
        s = "" if v is None else " ".join(str(v).split())
        return s if len(s) <= width else s[: width - 1] + "…"

    rows = [[cell(v) for v in row] for row in result.rows]
    head = list(result.variables)
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(head)]

    def line(cells: list[str]) -> str:
        return " | ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    out = [line(head), "-+-".join("-" * w for w in widths)] + [line(r) for r in rows]
    out.append(f"({len(rows)} rows)")
    return "\n".join(out) + "\n"
