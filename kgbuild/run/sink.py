"""Streaming output: per-article N-Quads and annotation lines, sorted at the end.

Why: holding every article's rdflib graph until the end makes memory grow
with the corpus.  Instead each article is turned into text lines as soon as
it is converted, lines are kept in sorted *runs* on disk (a run is one sorted,
de-duplicated file), and the runs are merged into the final files.  A run
comes from an in-process spill (`RunWriter`), from a `--jobs` worker or from
a Dask worker: all three are merged the same way, so every mode writes the
same bytes.

The line format is rdflib's own N-Triples/N-Quads row format, so graph.nq and
graph.nt are byte-identical to kgbuild.rdf.serialize's writers (sorted,
de-duplicated lines).  annotations.jsonl is sorted by doc_id: the output does
not depend on input order.

Two run kinds per partition, both plain UTF-8 text, one record a line:
- ``*.nq``  N-Quads lines, sorted, unique;
- ``*.ann`` ``doc_id NUL annotation-json`` lines, sorted.
A third, ``*.ev`` (the coreference layer's light records, kgbuild.rdf.coref),
holds pickled objects sorted by a key, merged the same way by `merged_pickled`.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.plugins.serializers.nt import _quoteLiteral

# Lines are read with newline="\n": N-Triples writes U+2028, \x0c ... raw inside
# literals, and only "\n" ends a line.
SEP = "\x00"  # doc_id never contains NUL; it sorts before every character
MERGE_FANIN = 128  # runs merged at once; more are merged in passes (open-file limit)
MERGE_BLOCK = 1 << 18  # bytes of lines read from a run at a time


# -- lines of one article ------------------------------------------------------


def triple_text(triple) -> str:
    """'s p o' exactly as rdflib's N-Triples/N-Quads serialisers write it."""
    s, p, o = triple
    return f"{s.n3()} {p.n3()} {_quoteLiteral(o) if isinstance(o, Literal) else o.n3()}"


def quad_lines(triples: Iterable[tuple], graph_iri) -> list[str]:
    """Triples of the graph `graph_iri` as sorted, unique N-Quads lines (with newline).

    The same bytes as `triple_text`, without building an rdflib Graph.  Each
    term is formatted once per call (an article's IRIs and shared literals
    recur in many triples), with the lookups inlined: this loop runs for
    every triple of the build.
    """
    tail = f" {graph_iri.n3()} .\n"
    # IRI -> its N-Triples form; a Literal is keyed by id(), since hashing a
    # Literal is a Python call (the triples keep the Literals alive meanwhile).
    # ints never equal a term, so the two kinds of key cannot collide.
    text: dict = {}
    get = text.get
    lines: set[str] = set()
    add = lines.add
    for s, p, o in triples:
        a = get(s)
        if a is None:
            a = text[s] = s.n3()
        b = get(p)
        if b is None:
            b = text[p] = p.n3()
        if type(o) is URIRef:
            c = get(o)
            if c is None:
                c = text[o] = o.n3()
        elif type(o) is Literal or isinstance(o, Literal):
            c = get(id(o))
            if c is None:
                c = text[id(o)] = _quoteLiteral(o)
        else:
            c = o.n3()
        add(f"{a} {b} {c}{tail}")
    return sorted(lines)


# -- runs ----------------------------------------------------------------------


def write_run(path: str | Path, lines: Iterable[str], *, unique: bool = True) -> int:
    """Write `lines` sorted (and de-duplicated) to `path`; returns the line count.

    Sorted before de-duplicating: the lines often come as sorted stretches
    (one article's lines), which the sort merges cheaply, and dict.fromkeys
    keeps that order.  Written in one piece (a run is bounded in size), each
    line encoded on its own: joining first would widen the whole text to
    UCS-2/4 for one non-ASCII character, making the encoding slow.
    """
    items = sorted(lines)
    if unique:
        items = list(dict.fromkeys(items))
    with open(path, "wb") as f:
        f.write(b"".join([line.encode("utf-8") for line in items]))
    return len(items)


class RunWriter:
    """Collects lines in memory and spills a sorted run every `limit` lines.

    Memory stays bounded by `limit` whatever the corpus size.
    """

    def __init__(self, directory: str | Path, suffix: str, *, limit: int = 200_000, unique: bool = True) -> None:
        self.dir, self.suffix, self.limit, self.unique = Path(directory), suffix, limit, unique
        self.buffer: list[str] = []
        self.runs: list[Path] = []

    def extend(self, lines: Iterable[str]) -> None:
        self.buffer.extend(lines)
        if len(self.buffer) >= self.limit:
            self.spill()

    def spill(self) -> None:
        if not self.buffer:
            return
        path = self.dir / f"spill-{len(self.runs):06d}{self.suffix}"
        write_run(path, self.buffer, unique=self.unique)
        self.runs.append(path)
        self.buffer = []

    def close(self) -> list[Path]:
        self.spill()
        return self.runs


def merged(runs: list[Path], *, unique: bool = True, tmp_dir: str | Path | None = None) -> Iterator[str]:
    """All lines of the sorted runs, in order (duplicates dropped when `unique`).

    More than MERGE_FANIN runs are first merged in groups into bigger runs,
    so the number of open files stays bounded.
    """
    for line in merged_bytes(runs, unique=unique, tmp_dir=tmp_dir):
        yield line.decode("utf-8")


def merged_bytes(runs: list[Path], *, unique: bool = True, tmp_dir: str | Path | None = None) -> Iterator[bytes]:
    """`merged`, as UTF-8 bytes: what the output files need, without decoding and re-encoding.

    UTF-8 preserves code point order, so the byte lines come in the same order
    as the str lines would.
    """
    return itertools.chain.from_iterable(merged_blocks(runs, unique=unique, tmp_dir=tmp_dir))


def write_merged(runs: list[Path], f, *, unique: bool = True, tmp_dir: str | Path | None = None) -> int:
    """Write the merged lines of `runs` (`merged_bytes`) to the binary file `f`; returns the line count."""
    return _write_blocks(merged_blocks(runs, unique=unique, tmp_dir=tmp_dir), f)


def merged_blocks(runs: list[Path], *, unique: bool = True, tmp_dir: str | Path | None = None) -> Iterator[list[bytes]]:
    """`merged_bytes` in consecutive blocks (lists) of lines."""
    return _merge(_in_passes(runs, lambda group: _merge_to_file(group, unique, tmp_dir)), unique)


def _in_passes(runs: Iterable[str | Path], merge_to_file: Callable[[list[Path]], Path]) -> list[Path]:
    """Merge groups of MERGE_FANIN consecutive runs into files until at most MERGE_FANIN are left,
    so a final merge never opens more files than that (consecutive groups keep a merge stable)."""
    paths = [Path(r) for r in runs]
    while len(paths) > MERGE_FANIN:
        paths = [merge_to_file(paths[i : i + MERGE_FANIN]) for i in range(0, len(paths), MERGE_FANIN)]
    return paths


def _merge_to_file(runs: list[Path], unique: bool, tmp_dir) -> Path:
    fd, name = tempfile.mkstemp(dir=tmp_dir, suffix=runs[0].suffix)
    with os.fdopen(fd, "wb") as f:
        _write_blocks(_merge(runs, unique), f)
    return Path(name)


def _write_blocks(blocks: Iterable[list[bytes]], f) -> int:
    """Write blocks of lines to the binary file `f`; returns the line count."""
    count = 0
    for block in blocks:
        f.write(b"".join(block))
        count += len(block)
    return count


def _merge(runs: list[Path], unique: bool) -> Iterator[list[bytes]]:
    """A block merge: each file is read a block of lines at a time, and the lines up to the
    smallest of the blocks' last lines are sorted together (Timsort merges the sorted pieces).

    Every line not yet read is at least its own block's last line, so a step
    emits exactly the next lines of the merge, with the per-line work in C
    (heapq.merge's loop is Python).  Equal lines keep their run order, as in a
    heap merge; only identical lines could tie.
    """
    with ExitStack() as stack:
        files = [stack.enter_context(open(p, "rb")) for p in runs]  # only b"\n" ends a line
        active: list[list[Any]] = []  # [open run, its current block of lines]
        for f in files:
            block = f.readlines(MERGE_BLOCK)
            if block:
                active.append([f, block])
        last = None
        while active:
            tail = None
            out: list[bytes]
            if len(active) == 1:  # the rest of one run, block by block
                tail, out = active.pop()
            else:
                bound = min(block[-1] for _, block in active)
                out = []
                for entry in active:
                    block = entry[1]
                    k = bisect.bisect_right(block, bound)
                    if k == len(block):  # at least the run with the smallest last line
                        out += block
                        entry[1] = entry[0].readlines(MERGE_BLOCK)
                    else:
                        out += block[:k]
                        entry[1] = block[k:]
                active = [entry for entry in active if entry[1]]
                out.sort()  # stable: equal lines stay in run order
            while out:
                if unique:
                    out = list(dict.fromkeys(out))
                    if out[0] == last:  # the only line that can repeat the previous block's
                        del out[0]
                    if out:
                        last = out[-1]
                if out:
                    yield out
                out = tail.readlines(MERGE_BLOCK) if tail is not None else []


def write_pickled_run(path: str | Path, items: Iterable, *, key: Callable) -> int:
    """Write `items` sorted by `key` (stable), one pickle after another, so they can be read one at a time."""
    items = sorted(items, key=key)
    with open(path, "wb") as f:
        for item in items:
            pickle.dump(item, f, protocol=pickle.HIGHEST_PROTOCOL)
    return len(items)


def merged_pickled(runs: list[Path], *, key: Callable, tmp_dir: str | Path | None = None) -> Iterator:
    """The items of pickled runs in `key` order, one at a time.

    The merge is stable (equal keys come in run order), so the result is what
    sorting all items at once would give, without holding them.  More than
    MERGE_FANIN runs are first merged in groups of consecutive runs, as in `merged`.
    """
    return _merge_pickled(_in_passes(runs, lambda group: _merge_pickled_to_file(group, key, tmp_dir)), key)


def _merge_pickled_to_file(runs: list[Path], key: Callable, tmp_dir) -> Path:
    fd, name = tempfile.mkstemp(dir=tmp_dir, suffix=runs[0].suffix)
    with os.fdopen(fd, "wb") as f:
        for item in _merge_pickled(runs, key):
            pickle.dump(item, f, protocol=pickle.HIGHEST_PROTOCOL)
    return Path(name)


def _merge_pickled(runs: list[Path], key: Callable) -> Iterator:
    with ExitStack() as stack:
        files = [stack.enter_context(open(p, "rb")) for p in runs]
        yield from heapq.merge(*map(_unpickled, files), key=key)


def _unpickled(f) -> Iterator:
    while True:
        try:
            yield pickle.load(f)
        except EOFError:
            return


def dedupe_sorted(lines: Iterable[str]) -> Iterator[str]:
    """Drop adjacent duplicates of an already sorted stream."""
    last = None
    for line in lines:
        if line != last:
            yield line
            last = line


def triples_of(nquads: Iterable[str]) -> Iterator[str]:
    """Sorted N-Quads lines -> sorted unique N-Triples lines (the union graph).

    Dropping the graph term keeps the order: a term is never a prefix of
    another term followed by a character smaller than the space, so lines
    equal up to the graph are adjacent.
    """
    return dedupe_sorted(line.rsplit(" ", 2)[0] + " .\n" for line in nquads)


def graph_first(nquad: str) -> str:
    """'s p o g .' -> 'g s p o .': sorting these groups quads by graph (TriG, JSON-LD)."""
    spo, g, _ = nquad.rsplit(" ", 2)
    return f"{g} {spo} .\n"


def nquad_from_graph_first(line: str) -> str:
    g, _, rest = line.partition(" ")
    return f"{rest[:-3]} {g} .\n"
