"""The README's commands write only under out/, which git ignores (issue 17)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    commands = []
    for block in blocks:
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith("$kg ") or line.startswith("kgbuild "):
                commands.append(shlex.split(line))
    return commands


def test_readme_has_commands():
    assert len(readme_commands()) >= 10


def test_readme_commands_write_under_out():
    for argv in readme_commands():
        for flag in ("--out", "-o", "--store"):
            if flag in argv:
                target = argv[argv.index(flag) + 1]
                if argv[1] == "query":  # `query --store DIR` reads a store
                    continue
                assert target.startswith(("out/", "/")), f"{' '.join(argv)}: writes {target} outside out/"


def test_out_is_git_ignored():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "out/" in ignored
