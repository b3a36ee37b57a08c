"""`kgbuild validate`: check graphs against the shipped SHACL shapes.

Why per article graph: every article's named graph is self-contained (it
holds the labels and types of what it mentions), SHACL cost grows with graph
size, and a finding is easier to act on when it names its article.  A file
without named graphs (Turtle, N-Triples) is validated as one graph.

pySHACL runs with inference="none" and the ontology as ont_graph (see
ontologies/shapes.ttl for why).  Findings are turned into short readable
lines (severity, graph, focus node, path, message) with prefixed names.
Violations make the report non-conforming; warnings are reported only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from ..errors import ValidationError
from .graphs import is_named, load_graphs
from ..rdf.namespaces import PREFIXES, bind_prefixes
from ..rdf.ontology import ontology_graph, shapes_graph

_SEVERITY: dict[object, str] = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Finding:
    """One SHACL result, already rendered as short strings."""

    severity: str  # Violation | Warning | Info
    focus: str
    path: str
    value: str
    message: str
    graph: str = ""

    def text(self) -> str:
        where = f"[{self.graph}] " if self.graph else ""
        path = f" {self.path}" if self.path else ""
        shown = self.value and self.value != self.focus and self.value not in self.message
        value = f" = {self.value}" if shown else ""
        return f"{self.severity}: {where}{self.focus}{path}{value}: {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    graphs: int
    triples: int
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def violations(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "Violation")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity != "Violation")

    @property
    def conforms(self) -> bool:
        return not self.violations

    def summary(self) -> str:
        verdict = "conforms" if self.conforms else "does NOT conform"
        return (
            f"{self.graphs} graphs, {self.triples} triples: {verdict} "
            f"({len(self.violations)} violations, {len(self.warnings)} warnings)"
        )

    def text(self, *, warnings: bool = True, limit: int | None = None) -> str:
        shown = [f for f in self.findings if warnings or f.severity == "Violation"]
        lines = [f.text() for f in shown[:limit]]
        if limit is not None and len(shown) > limit:
            lines.append(f"... and {len(shown) - limit} more")
        return "\n".join([*lines, self.summary()]) + "\n"

    def raise_if_invalid(self) -> None:
        """ValidationError (CLI exit code 9) when there is any violation."""
        if not self.conforms:
            first = self.violations[0].text()
            raise ValidationError(f"{self.summary()}; first: {first}")


def validate_graph(graph: Graph, *, name: str | None = None) -> ValidationReport:
    """Validate one graph (normally one article's named graph)."""
    import pyshacl

    _conforms, results, _text = pyshacl.validate(
        graph,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    label = _short(graph, name if name is not None else _graph_name(graph))
    findings = tuple(sorted(_findings(results, graph, label), key=_finding_order))
    return ValidationReport(graphs=1, triples=len(graph), findings=findings)


def validate_graphs(graphs: Iterable[Graph]) -> ValidationReport:
    """Validate each graph on its own and merge the reports."""
    return merge(validate_graph(g) for g in graphs)


def merge(reports: Iterable[ValidationReport]) -> ValidationReport:
    graphs = triples = 0
    findings: list[Finding] = []
    for r in reports:
        graphs += r.graphs
        triples += r.triples
        findings.extend(r.findings)
    return ValidationReport(graphs, triples, tuple(findings))


def validate_path(path: str | Path) -> ValidationReport:
    """Validate a graph file, a `kgbuild build` output directory or a kgbuild store."""
    return validate_graphs(load_graphs(path))


def _graph_name(graph: Graph) -> str:
    return str(graph.identifier) if is_named(graph) else ""


def _findings(results: Graph, data: Graph, graph_label: str) -> Iterable[Finding]:
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = _SEVERITY.get(results.value(result, SH.resultSeverity), "Violation")
        message = results.value(result, SH.resultMessage)
        yield Finding(
            severity=severity,
            focus=_short(data, results.value(result, SH.focusNode)),
            path=_short(data, results.value(result, SH.resultPath)),
            value=_short(data, results.value(result, SH.value)),
            message=_prefixed(str(message)) if message is not None else _constraint(results, result),
            graph=graph_label,
        )


def _prefixed(text: str) -> str:
    """Full vocabulary IRIs in a message become prefixed names (kgb:agent)."""
    for prefix, ns in PREFIXES.items():
        text = re.sub(re.escape(str(ns)) + r"([A-Za-z_][\w\-]*)", prefix + r":\1", text)
    return text


def _constraint(results: Graph, result) -> str:
    component = results.value(result, SH.sourceConstraintComponent)
    return str(component).rpartition("#")[2] if component is not None else "constraint failed"


def _short(graph: Graph, term) -> str:
    """A prefixed name or <IRI>; literals quoted and cut to stay on one line."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        bind_prefixes(graph)
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:
            return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term).replace("\n", " ")
        return '"' + (text if len(text) <= 60 else text[:57] + "...") + '"'
    if isinstance(term, BNode):
        return "[path]" if term else "[]"
    if isinstance(term, str):
        return term
    return str(term)


def _finding_order(f: Finding) -> tuple:
    return (f.severity != "Violation", f.graph, f.focus, f.path, f.message, f.value)
