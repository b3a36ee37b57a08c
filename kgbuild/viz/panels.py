"""What the page's story table, map and timeline show, computed here so the page only draws.

- `story_table`: per article, its events in text order, as `kgbuild story`
  gives them (kgbuild.analysis.story): date | agent | action | target | place
  | casualties | modality | sentence; generic and low-confidence events
  folded and counted.
- `map_points`: events at places with coordinates, one marker per place and
  event type (clustered: a count, not a pile of dots).
- `basemap`: Natural Earth's country outlines (world-atlas, vendored in
  assets/world-atlas/) as one SVG path in longitude/latitude degrees.
- `event_caption`: "US-led coalition → road: airstrike", the canvas label of
  an event that says who did what.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache
from importlib import resources

from ..analysis.network import roles_under
from ..analysis.story import DEFAULT_MIN_CONFIDENCE, casualty_text, count_casualties
from .model import Model
from .ontology import event_classes
from .style import kgb_iri

RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
WGS_LAT = "http://www.w3.org/2003/01/geo/wgs84_pos#lat"
WGS_LONG = "http://www.w3.org/2003/01/geo/wgs84_pos#long"
CAPTION_NAMES = 2  # names per side in an event caption before "+N"


def _roles(model: Model) -> dict[str, dict[str, list[str]]]:
    """event IRI -> "agent" | "target" | "place" -> filler IRIs (sorted by label)."""
    kinds = {
        "agent": roles_under("agent"),
        "target": roles_under("target"),
        "place": roles_under("place"),
        "participant": roles_under("participant"),
    }
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for e in model.edges:
        if e.kind != "role":
            continue
        for kind, names in kinds.items():
            if e.rel in names and e.target not in out[e.source][kind]:
                out[e.source][kind].append(e.target)
    for sides in out.values():
        for kind in sides:
            sides[kind].sort(key=lambda iri: (model.nodes[iri].label, iri))
    return out


def _names(model: Model, iris: list[str], limit: int | None = None) -> str:
    labels = [model.nodes[i].label for i in iris]
    if limit is not None and len(labels) > limit:
        return ", ".join(labels[:limit]) + f" +{len(labels) - limit}"
    return ", ".join(labels)


def class_label(cls: str) -> str:
    return event_classes().get(cls, {}).get("label") or cls


def event_caption(model: Model, iri: str, sides: dict[str, list[str]]) -> str:
    """'US-led coalition → road: airstrike'; 'Hezbollah, Islamic State: evacuation deal' for the
    parties of a deal; the class alone when no one is named."""
    what = class_label(model.nodes[iri].cls)
    who = _names(model, sides.get("agent", []) or sides.get("participant", []), CAPTION_NAMES)
    whom = _names(model, sides.get("target", []), CAPTION_NAMES)
    if who and whom:
        return f"{who} → {whom}: {what}"
    if who or whom:
        return f"{who or whom}: {what}"
    return what


def captions(model: Model) -> dict[str, str]:
    roles = _roles(model)
    return {
        iri: event_caption(model, iri, roles.get(iri, {})) for iri, rec in model.nodes.items() if rec.kind == "event"
    }


def story_view(model: Model) -> dict[str, int]:
    """The nodes of the default view, which reads like the article, each with its rank (0 = most
    important: the page labels the first ones).

    Named actors and the events *between* them (an actor and at least one other party, target or
    place), what those events are done to, and places on the map.  Dates, instruments, unnamed
    one-off groups and one-party events ("Dillon: statement") stay out: the captions of the
    events that are in name them.  Rank: by the number of story events a node takes part in.
    """
    roles = _roles(model)
    actor, group = kgb_iri("Actor"), kgb_iri("PeopleGroup")

    def named_actor(iri: str) -> bool:
        kinds = model.types.get(iri, set())
        return actor in kinds and group not in kinds

    keep: set[str] = set()
    weight: dict[str, int] = defaultdict(int)
    for event, sides in roles.items():
        parties = set(sides.get("agent", []) + sides.get("target", []) + sides.get("participant", []))
        places = [p for p in sides.get("place", []) if _coordinates(model, p)]
        if any(named_actor(i) for i in parties) and len(parties) + len(places) >= 2:
            members = parties | set(places)
            keep.add(event)
            keep.update(members)
            weight[event] += len(members)
            for m in members:
                weight[m] += 1
    keep.update(iri for iri in model.nodes if named_actor(iri) and iri in weight)
    order = sorted(keep, key=lambda i: (model.nodes[i].kind == "event", -weight[i], model.nodes[i].label, i))
    return {iri: rank for rank, iri in enumerate(order)}


def story_table(model: Model, ids: dict[str, str], min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> list[dict]:
    """Per article (page order of model.docs), its events in text order; see the module docstring."""
    roles = _roles(model)
    by_doc: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for iri, rec in model.nodes.items():
        if rec.kind != "event":
            continue
        mentions = model.mentions(iri)
        doc = mentions[0].doc if mentions else ""
        by_doc[doc].append((mentions[0].begin if mentions else 0, iri))
    articles = []
    for doc, events in sorted(by_doc.items(), key=lambda kv: (model.docs.index(kv[0]) if kv[0] else 1 << 30)):
        rows, generic, weak = [], 0, 0
        for _, iri in sorted(events):
            info, sides = model.nodes[iri].info, roles.get(iri, {})
            own_date = info.get("date") if info.get("dateOf") == "event" else None
            if not own_date and not any(sides.get(k) for k in ("agent", "target", "place")):
                generic += 1
                continue
            if info.get("conf") is not None and info["conf"] < min_confidence:
                weak += 1
                continue
            rows.append(
                {
                    "id": ids[iri],
                    "date": own_date or "",
                    "agent": _names(model, sides.get("agent", [])),
                    "action": _action(model, iri),
                    "target": _names(model, sides.get("target", [])),
                    "place": _names(model, sides.get("place", [])),
                    "cas": _casualties(model, iri, sides),
                    "mod": info.get("modality", ""),
                    "s": info["ev"][0]["s"] if info.get("ev") else -1,
                }
            )
        articles.append({"d": model.docs.index(doc) if doc else -1, "rows": rows, "generic": generic, "weak": weak})
    return articles


def _action(model: Model, iri: str) -> str:
    """'airstrike (bombed)', as `kgbuild story` writes it."""
    what = class_label(model.nodes[iri].cls)
    mentions = model.mentions(iri)
    trigger = " ".join((mentions[0].anchor or "").split()) if mentions else ""
    return f"{what} ({trigger})" if trigger and trigger.lower() != what.lower() else what


def _count(model: Model, iri: str, prop: str) -> int | None:
    return _whole(model.t.text(iri, kgb_iri(prop)))


def _figure(model: Model, event: str, kind: str) -> int | None:
    """The event's casualty figure of `kind` (kgb:casualties -> kgb:casualtyKind, rdf:value)."""
    for figure in model.t.values(event, kgb_iri("casualties")):
        if isinstance(figure, str) and model.t.text(figure, kgb_iri("casualtyKind")) == kind:
            return _whole(model.t.text(figure, RDF_VALUE))
    return None


def _whole(text: str | None) -> int | None:
    """A count from a literal; anything that is not a whole number (an edited graph) is unknown."""
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return int(value) if value is not None and value.is_integer() and value >= 0 else None


def _casualties(model: Model, iri: str, sides: dict[str, list[str]]) -> str:
    rec = model.nodes[iri]
    victims = [_count(model, v, "count") for v in sides.get("target", [])]
    counts = count_casualties(
        rec.info.get("coarse", ""),
        rec.cls,
        rec.info.get("modality", "asserted"),
        _figure(model, iri, "killed"),
        _figure(model, iri, "injured"),
        victims,
    )
    return casualty_text(*counts)


# -- map ---------------------------------------------------------------------------------


def _coordinates(model: Model, iri: str) -> tuple[float, float] | None:
    try:
        lat, lon = float(model.t.text(iri, WGS_LAT) or "x"), float(model.t.text(iri, WGS_LONG) or "x")
    except ValueError:
        return None  # no coordinates, or not numbers (an edited graph): the place is not on the map
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def map_points(model: Model, ids: dict[str, str]) -> list[dict]:
    """One marker per (place, event type): where, how many, which events (page ids, text order)."""
    roles = _roles(model)
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for iri, sides in roles.items():
        for place in sides.get("place", []):
            if _coordinates(model, place):
                groups[(place, model.nodes[iri].info.get("coarse", "Other"))].append(iri)
    points = []
    for (place, coarse), events in sorted(groups.items()):
        lat, lon = _coordinates(model, place)  # type: ignore[misc]
        points.append(
            {
                "lat": round(lat, 4),
                "lon": round(lon, 4),
                "place": model.nodes[place].label,
                "precision": model.nodes[place].cls,
                "type": coarse,
                "events": [ids[e] for e in sorted(events)],
            }
        )
    return points


@lru_cache(maxsize=1)
def basemap() -> str:
    """Country outlines as one SVG path: x = longitude, y = -latitude, in degrees (1 decimal)."""
    topo = json.loads(
        resources.files("kgbuild.viz").joinpath("assets", "world-atlas", "countries-110m.json").read_text("utf-8")
    )
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:  # delta-encoded, quantised positions
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indexes:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points[1:] if out else points)
        return out

    parts = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        polygons = {"Polygon": [geometry.get("arcs", [])], "MultiPolygon": geometry.get("arcs", [])}.get(
            geometry["type"], []
        )
        for polygon in polygons:
            for indexes in polygon:
                points = ring(indexes)
                if len(points) > 2:
                    parts.append("M" + "L".join(f"{x:.1f} {-y:.1f}" for x, y in points) + "Z")
    return "".join(parts)
