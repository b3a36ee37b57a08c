"""Vendor Natural Earth country outlines for the viewer's map (npm package world-atlas, pinned).

    python scripts/vendor_world_atlas.py          # npm pack, verify, copy into kgbuild/viz/assets/world-atlas/
    python scripts/vendor_world_atlas.py --check  # verify the vendored file against the pinned hash

The tarball's sha512 must equal the npm registry's `dist.integrity` for the
pinned version, so a changed package never slips in.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "2.0.2"
INTEGRITY = "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
FILE_SHA256 = "2516c915867c7baf18ddec727aec46c315541a07cfb3d79a6559b05d5e94eee8"  # countries-110m.json
DEST = Path(__file__).resolve().parents[1] / "kgbuild" / "viz" / "assets" / "world-atlas"
FILES = ("countries-110m.json", "LICENSE")


def check() -> int:
    digest = hashlib.sha256((DEST / "countries-110m.json").read_bytes()).hexdigest()
    if digest != FILE_SHA256:
        print(f"countries-110m.json: sha256 {digest}, expected {FILE_SHA256}", file=sys.stderr)
        return 1
    print("countries-110m.json matches world-atlas", VERSION)
    return 0


def vendor() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", f"world-atlas@{VERSION}", "--pack-destination", tmp], check=True, stdout=subprocess.DEVNULL
        )
        tarball = Path(tmp) / f"world-atlas-{VERSION}.tgz"
        got = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        if got != INTEGRITY:
            print(f"integrity mismatch: {got}", file=sys.stderr)
            return 1
        with tarfile.open(tarball) as tar:
            for name in FILES:
                member = tar.extractfile(f"package/{name}")
                assert member is not None
                (DEST / name).write_bytes(member.read())
    return check()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only verify the vendored file")
    sys.exit(check() if parser.parse_args().check else vendor())
