#!/usr/bin/env python3
"""Generate ontologies/kgbuild.ttl from ontologies/core.ttl + kgbuild/data/event_types.json,
and the role-range section of ontologies/shapes.ttl from kgbuild/data/event_roles.json.

Why generated: event_types.json is the single source of truth for the event
classes (their hierarchy, labels and CAMEO/ACLED/PLOVER codes) and for the
role hierarchy; the extractors read it, and the ontology must declare exactly
the same classes.  Writing them by hand in two places would drift, so this
script appends them to the hand-written core and tests/rdf/test_ontology.py fails
when the committed kgbuild.ttl is stale.

    python scripts/build_ontology.py           # rewrite ontologies/kgbuild.ttl and shapes.ttl's generated part
    python scripts/build_ontology.py --check   # exit 1 if either is out of date

The event-role schema (event_roles.json: which entity classes may fill each role of an event class)
is read by extraction too, so the SHACL role ranges are generated from it: one warning shape per
event class and role it names, between the BEGIN/END markers of shapes.ttl (the rest of that file
is hand-written).

The output is plain text (the core verbatim, then one block per term in the
JSON's order), so it is byte-stable and diffs stay readable.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rdflib import Graph, Literal

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "ontologies" / "core.ttl"
EVENT_TYPES = ROOT / "kgbuild" / "data" / "event_types.json"
OUTPUT = ROOT / "ontologies" / "kgbuild.ttl"
EVENT_ROLES = ROOT / "kgbuild" / "data" / "event_roles.json"
SHAPES = ROOT / "ontologies" / "shapes.ttl"
BEGIN = "# BEGIN GENERATED role ranges (scripts/build_ontology.py from kgbuild/data/event_roles.json)"
END = "# END GENERATED role ranges"

# event_types.json names the catch-all role "other"; the property is kgb:participant.
ROLE_PROPERTY = {"other": "participant"}

HEADER = """\
# GENERATED FILE - do not edit.
# Made by scripts/build_ontology.py from ontologies/core.ttl (hand-written)
# and kgbuild/data/event_types.json (event classes, codes and roles).
"""


def role_property(role: str) -> str:
    """Local name of the property for a role key of event_types.json."""
    return ROLE_PROPERTY.get(role, role)


def _lit(text: str) -> str:
    return Literal(text).n3()


def _en(text: str) -> str:
    return Literal(text, lang="en").n3()


def _acled_parts(acled: str | None) -> tuple[str | None, str | None]:
    """ACLED codes are "Event type / Sub-event type" (the type itself may contain '/')."""
    if not acled:
        return None, None
    etype, _, sub = acled.partition(" / ")
    return etype.strip() or None, sub.strip() or None


def event_class_block(name: str, spec: dict) -> str:
    lines = [f"kgb:{name} a owl:Class ;"]
    if spec.get("parent"):
        lines.append(f"    rdfs:subClassOf kgb:{spec['parent']} ;")
    lines.append(f"    rdfs:label {_en(spec.get('label') or name)} ;")
    lines.append(f"    rdfs:comment {_en(spec.get('comment') or spec.get('label') or name)} ;")
    acled_type, acled_sub = _acled_parts(spec.get("acled"))
    codes = [
        ("coarseType", spec.get("coarse")),
        ("cameoCode", spec.get("cameo")),
        ("acledEventType", acled_type),
        ("acledSubEventType", acled_sub),
        ("ploverCategory", spec.get("plover")),
    ]
    lines.extend(f"    kgb:{prop} {_lit(value)} ;" for prop, value in codes if value)
    lines[-1] = lines[-1][:-2] + " ."
    return "\n".join(lines)


def role_block(name: str, spec: dict) -> str:
    lines = [f"kgb:{role_property(name)} a owl:ObjectProperty ;"]
    if spec.get("parent"):
        lines.append(f"    rdfs:subPropertyOf kgb:{role_property(spec['parent'])} ;")
    lines.append(f"    rdfs:label {_en(spec.get('label') or name)} ;")
    lines.append(f"    rdfs:comment {_en(spec.get('comment') or spec.get('label') or name)} .")
    return "\n".join(lines)


def check_hierarchy(kind: str, items: dict) -> None:
    for name, spec in items.items():
        parent = spec.get("parent")
        if parent is not None and parent not in items:
            raise ValueError(f"event_types.json: {kind} {name!r} has unknown parent {parent!r}")


def render(core_text: str, event_types: dict) -> str:
    """The full ontology text: core verbatim + generated event classes and roles."""
    classes = event_types["classes"]
    roles = event_types.get("roles", {})
    check_hierarchy("class", classes)
    check_hierarchy("role", roles)
    parts = [HEADER, core_text.rstrip("\n"), ""]
    parts.append(_section("Event classes (generated from event_types.json)"))
    parts.extend(event_class_block(name, spec) + "\n" for name, spec in classes.items())
    parts.append(_section("Event roles (generated from event_types.json)"))
    parts.extend(role_block(name, spec) + "\n" for name, spec in roles.items())
    text = "\n".join(parts)
    _sanity_check(text, roles)
    return text


def _section(title: str) -> str:
    bar = "# " + "-" * 75
    return f"{bar}\n# {title}\n{bar}\n"


def _sanity_check(text: str, roles: dict) -> None:
    """Parse the result; every root role must reach a SEM property via core.ttl."""
    from rdflib import BNode, URIRef
    from rdflib.namespace import RDFS

    g = Graph()
    g.parse(data=text, format="turtle")
    kgb = "https://w3id.org/kgbuild/ontology#"
    sem = "http://semanticweb.cs.vu.nl/2009/11/sem/"
    for name, spec in roles.items():
        if spec.get("parent") is None:
            supers = {str(o) for o in g.objects(URIRef(kgb + role_property(name)), RDFS.subPropertyOf)}
            if not any(s.startswith(sem) for s in supers):
                raise ValueError(f"root role {name!r} has no SEM super-property; add one to {CORE.name}")
    if any(isinstance(term, BNode) for triple in g for term in triple):
        raise ValueError("the ontology must not contain blank nodes")


def _subclasses(classes: dict, name: str) -> list[str]:
    """All classes below `name` in event_types.json (not itself), in the JSON's order."""
    out = []
    for c in classes:
        p = classes[c].get("parent")
        while p is not None:
            if p == name:
                out.append(c)
                break
            p = classes[p].get("parent")
    return out


def role_shapes(event_roles: dict, event_types: dict) -> str:
    """SHACL warning shapes for the role ranges: for each event class and role of
    event_roles.json, the class's document events (and those of its subclasses that do not name
    that role themselves: the nearest class wins) must have fillers of one of the listed classes."""
    classes = event_types["classes"]
    ranges = event_roles["ranges"]
    blocks = [BEGIN, "# Do not edit this part by hand.", ""]
    for cls, by_role in ranges.items():
        if cls not in classes:
            raise ValueError(f"event_roles.json: unknown event class {cls!r}")
        for role, allowed in by_role.items():
            overriding = [c for c in _subclasses(classes, cls) if role in ranges.get(c, {})]
            excluded = "".join(f"\n              FILTER NOT EXISTS {{ ?this rdf:type kgb:{c} }}" for c in overriding)
            prop = role_property(role)
            alts = " ".join(f"[ sh:class {c if ':' in c else 'kgb:' + c} ]" for c in allowed)
            names = ", ".join(allowed)
            blocks.append(
                f"""kgbsh:{cls}{prop[0].upper()}{prop[1:]}RangeShape a sh:NodeShape ;
    sh:target [ a sh:SPARQLTarget ; sh:prefixes kgbsh: ;
        sh:select \"\"\"
            SELECT DISTINCT ?this WHERE {{
              ?this rdf:type kgb:{cls} .
              FILTER NOT EXISTS {{ ?this rdf:type kgb:CanonicalEvent }}{excluded}
            }}\"\"\" ] ;
    sh:property [ sh:path kgb:{prop} ; sh:or ( {alts} ) ; sh:severity sh:Warning ;
                  sh:message {_lit(f"{prop} of a {cls} event is not one of: {names}")} ] .
"""
            )
    blocks.append(END)
    return "\n".join(blocks)


def splice_shapes(shapes_text: str, generated: str) -> str:
    """shapes.ttl with its generated section replaced (appended when it has none yet)."""
    if BEGIN in shapes_text:
        head, _, rest = shapes_text.partition(BEGIN)
        _, _, tail = rest.partition(END)
        return head + generated + tail
    return shapes_text.rstrip("\n") + "\n\n" + generated + "\n"


def build_shapes(shapes: Path = SHAPES, event_roles: Path = EVENT_ROLES, event_types: Path = EVENT_TYPES) -> str:
    generated = role_shapes(
        json.loads(event_roles.read_text(encoding="utf-8")), json.loads(event_types.read_text(encoding="utf-8"))
    )
    text = splice_shapes(shapes.read_text(encoding="utf-8"), generated)
    Graph().parse(data=text, format="turtle")  # must stay valid Turtle
    return text


def build(core: Path = CORE, event_types: Path = EVENT_TYPES) -> str:
    return render(core.read_text(encoding="utf-8"), json.loads(event_types.read_text(encoding="utf-8")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if ontologies/kgbuild.ttl is out of date")
    args = parser.parse_args(argv)
    outputs = {OUTPUT: build(), SHAPES: build_shapes()}
    if args.check:
        stale = [p for p, text in outputs.items() if (p.read_text(encoding="utf-8") if p.exists() else "") != text]
        for p in stale:
            print(f"{p} is out of date; run scripts/build_ontology.py", file=sys.stderr)
        return 1 if stale else 0
    for p, text in outputs.items():
        p.write_text(text, encoding="utf-8")
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
