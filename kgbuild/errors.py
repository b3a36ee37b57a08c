"""One exception hierarchy for kgbuild; each error carries the CLI exit code.

Exit codes (documented in README.md):
    1  unexpected internal error (a bug: please report it)
    2  usage error (bad option value)
    3  input error (missing, empty, binary, undecodable or malformed input)
    4  model error (spaCy pipeline missing or unloadable)
    5  output error (cannot write outputs)
    6  store error (store locked or unreadable)
    7  query error (bad SPARQL or unknown query name)
    8  remote error (push to a triple store failed)
    9  validation error (SHACL violations)
"""

from __future__ import annotations


class KgbuildError(Exception):
    """Base class of every error kgbuild raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class UsageError(KgbuildError):
    exit_code = 2


class InputError(KgbuildError):
    """An input file or directory cannot be turned into an article."""

    exit_code = 3


class ModelError(KgbuildError):
    exit_code = 4


class OutputError(KgbuildError):
    exit_code = 5


class StoreError(KgbuildError):
    exit_code = 6


class QueryError(KgbuildError):
    exit_code = 7


class RemoteError(KgbuildError):
    exit_code = 8


class ValidationError(KgbuildError):
    exit_code = 9
