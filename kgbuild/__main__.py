"""`python -m kgbuild`: the same as the `kgbuild` console script."""

from .cli import main

main()
