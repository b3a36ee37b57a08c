"""Check that a refactoring left `kgbuild build` outputs byte-identical.

usage:
    python scripts/compare_outputs.py --save DIR    # record outputs of the current code
    python scripts/compare_outputs.py --check DIR   # build again, compare byte for byte

It builds seeds/ and the first --docs documents of every dev corpus in
/work/shared/eval/*.dev.jsonl (read from there; slices are written to a
temporary directory, never into the repository; corpora that are absent are
skipped), each with every RDF format, the viewer and annotations. `--check`
exits 1 and lists every file that is missing, extra or different.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = Path("/work/shared/eval")
FORMATS = "ttl,nt,nq,trig,jsonld"


def inputs(tmp: Path, docs: int) -> dict[str, Path]:
    """Name -> input path: seeds/ and a slice of each dev corpus present."""
    out = {"seeds": ROOT / "seeds"}
    for corpus in sorted(EVAL.glob("*.dev.jsonl")):
        name = corpus.name.removesuffix(".dev.jsonl")
        with corpus.open(encoding="utf-8") as src:
            lines = [line for _, line in zip(range(docs), src)]
        piece = tmp / f"{name}.jsonl"
        piece.write_text("".join(lines), encoding="utf-8")
        out[name] = piece
    return out


def build(src: Path, out: Path) -> None:
    # The console script next to this interpreter: the installed entry point is
    # part of what must keep working.
    exe = Path(sys.executable).parent / "kgbuild"
    cmd = [str(exe), "build", str(src), "--out", str(out), "--format", FORMATS, "--quiet"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def differences(ref: Path, new: Path) -> list[str]:
    old, now = files(ref), files(new)
    diffs = [f"missing: {f}" for f in sorted(old - now)]
    diffs += [f"extra: {f}" for f in sorted(now - old)]
    diffs += [f"differs: {f}" for f in sorted(old & now) if not filecmp.cmp(ref / f, new / f, shallow=False)]
    return diffs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", type=Path, help="record outputs into DIR (replaced)")
    mode.add_argument("--check", type=Path, help="compare new outputs with DIR")
    ap.add_argument("--docs", type=int, default=5, help="documents per dev corpus (default 5)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kgbuild-compare-") as t:
        tmp = Path(t)
        target = args.save if args.save else tmp / "new"
        if args.save and target.exists():
            shutil.rmtree(target)
        for name, src in inputs(tmp, args.docs).items():
            build(src, target / name)
            print(f"built {name}")
        if args.save:
            print(f"saved {len(files(target))} files to {target}")
            return 0
        diffs = differences(args.check, target)
        for d in diffs:
            print(d)
        print(f"{len(files(args.check))} reference files, {len(diffs)} differences")
        return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
