"""`kgbuild push`: load article graphs into a running triple store over HTTP.

Why the SPARQL 1.1 Graph Store HTTP Protocol, one PUT per article graph:
PUT replaces the named graph, so pushing the same build twice (or a re-built
article) leaves the store exactly as after the first push, and each request
is applied by the server as a whole, so a failed push never leaves a
half-written graph.  The body is N-Triples (no blank nodes in kgbuild
graphs, so nothing duplicates).

Stores differ in details handled here:
- the graph parameter is `?graph=` (Oxigraph /store, Fuseki /data, the
  standard) or `?graph-uri=` (Virtuoso /sparql-graph-crud[-auth]);
- authentication is HTTP digest (Virtuoso) or basic; both are offered;
- a store that refuses N-Triples (HTTP 415 ...) gets the same bytes as
  text/turtle, and one without a usable Graph Store gets chunked SPARQL
  Update instead: the chunks go into a temporary graph that then replaces
  the target with one MOVE, so a failure half-way leaves the old graph intact.
Connection errors, timeouts and 5xx answers are retried a bounded number of
times with exponential backoff; everything else fails at once with a
RemoteError (CLI exit code 8) that says what to check.

Only the standard library is used (urllib), so pushing adds no dependency.

Hostile servers and URLs: only http(s) endpoints are accepted (file:// or
ftp:// would make urllib read local files or other services); credentials
written in the URL (http://user:pass@host/...) are taken out of it, used to
authenticate, and never appear in a message; each request has one overall
deadline (a watchdog closes the socket, so a server trickling a byte a
second cannot outlast --timeout), and answer bodies are read up to a bound.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urlsplit, urlunsplit

from rdflib import Graph, URIRef

from ..errors import RemoteError, UsageError
from .graphs import is_named, load_graphs
from ..rdf.namespaces import bind_prefixes

DEFAULT_TIMEOUT = 60.0
DEFAULT_RETRIES = 3
CHUNK_TRIPLES = 2000
_FALLBACK_STATUSES = {400, 404, 405, 406, 415, 501}  # "this store does not take this request"
_OK = range(200, 300)
MAX_BODY = 1 << 20  # answer bodies only feed messages: read at most this much of them


@dataclass(frozen=True)
class Endpoint:
    """Where to PUT graphs and where to send SPARQL updates, for one store."""

    store_url: str
    graph_param: str
    update_url: str

    def graph_url(self, graph: str) -> str:
        sep = "&" if urlsplit(self.store_url).query else "?"
        return f"{self.store_url}{sep}{self.graph_param}={quote(graph, safe='')}"


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """(url without user:password@, user, password): the URL is then safe to print."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, sep, password = userinfo.partition(":")
    clean = urlunsplit((parts.scheme, hostport, parts.path, parts.query, parts.fragment))
    return clean, unquote(user) or None, unquote(password) if sep else None


def _check_http(option: str, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        shown = split_credentials(url)[0]
        raise UsageError(f"{option} {shown!r}: expected an http(s) URL of the store's endpoint")


def endpoint_for(url: str, update_url: str | None = None) -> Endpoint:
    """Recognise the store from its Graph Store URL and derive its update URL.

    Both URLs must be http(s) and are kept without credentials (see
    `split_credentials`)."""
    _check_http("--endpoint", url)
    url = split_credentials(url)[0]
    if update_url is not None:
        _check_http("--update-endpoint", update_url)
        update_url = split_credentials(update_url)[0]
    parts = urlsplit(url)
    path = parts.path.rstrip("/")

    def with_path(new_path: str) -> str:
        return urlunsplit((parts.scheme, parts.netloc, new_path, "", ""))

    if path.endswith("/sparql-graph-crud-auth"):  # Virtuoso, authenticated
        param, upd = "graph-uri", with_path(path[: -len("/sparql-graph-crud-auth")] + "/sparql-auth")
    elif path.endswith("/sparql-graph-crud"):  # Virtuoso, anonymous
        param, upd = "graph-uri", with_path(path[: -len("/sparql-graph-crud")] + "/sparql")
    elif path.endswith("/store"):  # Oxigraph
        param, upd = "graph", with_path(path[: -len("/store")] + "/update")
    elif path.endswith("/data"):  # Fuseki dataset
        param, upd = "graph", with_path(path[: -len("/data")] + "/update")
    else:
        param, upd = "graph", url
    return Endpoint(url, param, update_url or upd)


@dataclass(frozen=True)
class GraphPush:
    graph: str
    triples: int
    method: str  # "gsp" (Graph Store PUT) or "update" (SPARQL Update fallback)
    status: int


@dataclass(frozen=True)
class PushSummary:
    endpoint: str
    graphs: tuple[GraphPush, ...] = ()
    retries: int = 0

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)

    def text(self) -> str:
        methods = sorted({g.method for g in self.graphs})
        via = " and ".join({"gsp": "Graph Store PUT", "update": "SPARQL Update"}[m] for m in methods) or "nothing"
        retry = f", {self.retries} retries" if self.retries else ""
        return f"pushed {len(self.graphs)} graphs, {self.triples} triples to {self.endpoint} via {via}{retry}"


class _Credentials(urllib.request.HTTPPasswordMgr):
    """The one user/password for whatever realm the endpoint names (we only talk to that endpoint)."""

    def __init__(self, user: str, password: str) -> None:
        super().__init__()
        self.credentials = (user, password)

    def find_user_password(self, realm, authuri):
        return self.credentials


class _Auth:
    """HTTP digest or basic credentials, sent with every request.

    Why not urllib's auth handlers: they send each request once without
    credentials and repeat it after the 401.  Virtuoso answers a PUT with
    missing or wrong credentials at once and closes the connection while a
    large body is still being written, so the client sees only a broken pipe.
    Here the challenge is learnt once from a body-less HEAD request, and every
    request carries its Authorization header (urllib computes the digest).
    """

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user, password
        self.scheme: str | None = None  # "digest" | "basic" once the server has challenged us
        self.challenge: dict[str, str] = {}
        self._digest = urllib.request.HTTPDigestAuthHandler(_Credentials(user, password))

    def learn(self, challenges: list[str]) -> bool:
        """Remember the server's challenge (digest preferred); True if it changed."""
        before = (self.scheme, self.challenge.get("nonce"))
        for header in sorted(challenges, key=lambda h: not h.lower().startswith("digest")):
            scheme, _, rest = header.partition(" ")
            if scheme.lower() == "digest":
                self.scheme = "digest"
                self.challenge = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
                break
            if scheme.lower() == "basic":
                self.scheme, self.challenge = "basic", {}
                break
        return (self.scheme, self.challenge.get("nonce")) != before

    def header(self, request: urllib.request.Request) -> str | None:
        if self.scheme == "basic":
            token = base64.b64encode(f"{self.user}:{self.password}".encode("utf-8")).decode("ascii")
            return f"Basic {token}"
        if self.scheme == "digest":
            value = self._digest.get_authorization(request, self.challenge)
            return f"Digest {value}" if value else None
        return None


@dataclass
class _Http:
    """urllib with auth, a timeout and bounded retries; returns (status, body) for any HTTP answer."""

    user: str | None
    password: str | None
    timeout: float
    retries: int
    backoff: float = 0.5
    sleep: Callable[[float], None] = time.sleep
    retried: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self._sockets: list[socket.socket] = []
        # no auth handlers (_Auth answers challenges); connections record their socket for the watchdog
        self.opener = urllib.request.build_opener(
            _RecordingHTTPHandler(self._sockets), _RecordingHTTPSHandler(self._sockets)
        )
        self.auth = _Auth(self.user, self.password or "") if self.user is not None else None
        self._probed = False

    def send(self, method: str, url: str, body: bytes, content_type: str) -> tuple[int, str]:
        if self.auth is not None and not self._probed:
            self._probe(url)
        attempt = 0
        while True:
            try:
                status, text, headers = self._exchange(method, url, body, content_type)
                if status == 401 and self.auth is not None and self.auth.learn(_challenges(headers)):
                    # first challenge, or the nonce went stale: answer it once
                    status, text, headers = self._exchange(method, url, body, content_type)
                if status < 500 or attempt >= self.retries:
                    return status, text
            except (TimeoutError, socket.timeout) as exc:
                if attempt >= self.retries:
                    raise RemoteError(self._timeout_message(url, attempt)) from exc
            except (urllib.error.URLError, OSError) as exc:
                reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
                if isinstance(reason, (BrokenPipeError, ConnectionResetError)) and self._rejected(url):
                    return 401, ""  # the server refused our credentials and hung up mid-body
                if attempt >= self.retries:
                    if isinstance(reason, (TimeoutError, socket.timeout)):
                        raise RemoteError(self._timeout_message(url, attempt)) from exc
                    raise RemoteError(_connection_message(url, reason)) from exc
            self.sleep(min(self.backoff * 2**attempt, 10.0))
            attempt += 1
            self.retried += 1

    def _exchange(self, method: str, url: str, body: bytes | None, content_type: str):
        headers = {"Content-Type": content_type} if body is not None else {}
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        if self.auth is not None:
            authorization = self.auth.header(request)
            if authorization:
                request.add_header("Authorization", authorization)
        # One deadline for the whole exchange: the socket timeout bounds each read only, so a
        # server sending a byte a second would never time out; the watchdog closes the socket.
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            for sock in list(self._sockets):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        watchdog = threading.Timer(self.timeout, expire)
        watchdog.daemon = True
        watchdog.start()
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, _bounded(response), response.headers
        except urllib.error.HTTPError as exc:
            return exc.code, _read(exc), exc.headers
        except (OSError, http.client.HTTPException) as exc:
            if expired.is_set():
                raise TimeoutError(f"no answer within {self.timeout:g} s") from exc
            if isinstance(exc, http.client.HTTPException):
                raise urllib.error.URLError(exc) from exc
            raise
        finally:
            watchdog.cancel()
            self._sockets.clear()

    def _probe(self, url: str) -> None:
        """Learn the server's challenge with a body-less HEAD request (errors show up later)."""
        self._probed = True
        try:
            status, _, headers = self._exchange("HEAD", url, None, "")
        except (urllib.error.URLError, OSError):
            return
        if status == 401 and self.auth is not None:
            self.auth.learn(_challenges(headers))

    def _rejected(self, url: str) -> bool:
        """After a broken connection: does the server refuse our credentials?"""
        if self.auth is None:
            return False
        try:
            status, _, headers = self._exchange("HEAD", url, None, "")
            if status == 401 and self.auth.learn(_challenges(headers)):
                status, _, headers = self._exchange("HEAD", url, None, "")
        except (urllib.error.URLError, OSError):
            return False
        return status == 401

    def _timeout_message(self, url: str, attempt: int) -> str:
        return f"{_host(url)}: no answer within {self.timeout:g} s (after {attempt + 1} attempts)"


def _challenges(headers) -> list[str]:
    return list(headers.get_all("WWW-Authenticate") or []) if headers is not None else []


def push(
    path_or_store: str | Path,
    endpoint: str,
    graph: str | None = None,
    user: str | None = None,
    password: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    *,
    update_endpoint: str | None = None,
    method: str = "auto",
    backoff: float = 0.5,
) -> PushSummary:
    """Push the graphs at `path_or_store` (graph file, build output dir or store) to `endpoint`.

    `graph` puts everything into that one named graph instead of one graph per
    article (needed for Turtle/N-Triples files, which carry no graph names).
    `method` is "auto" (Graph Store PUT, SPARQL Update when the store refuses
    it), "gsp" or "update" (only SPARQL Update, to `update_endpoint` or the
    update URL derived from `endpoint`).
    """
    graphs = _graphs_to_push(path_or_store, graph)
    return push_graphs(
        graphs,
        endpoint,
        user=user,
        password=password,
        timeout=timeout,
        retries=retries,
        update_endpoint=update_endpoint,
        method=method,
        backoff=backoff,
    )


def push_graphs(
    graphs: list[Graph],
    endpoint: str,
    *,
    user: str | None = None,
    password: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    update_endpoint: str | None = None,
    method: str = "auto",
    backoff: float = 0.5,
) -> PushSummary:
    """Push in-memory named graphs (e.g. straight from a build); see `push`."""
    if method not in ("auto", "gsp", "update"):
        raise UsageError(f"push method {method!r}: choose auto, gsp or update")
    target = endpoint_for(endpoint, update_endpoint)
    _, url_user, url_password = split_credentials(endpoint)
    if user is None and url_user is not None:  # --user/--password win over the URL's
        user, password = url_user, password if password is not None else url_password
    client = _Http(user, password, timeout, retries, backoff)
    pushed = tuple(_push_graph(client, target, g, method) for g in graphs)
    return PushSummary(target.store_url, pushed, client.retried)


def _graphs_to_push(path: str | Path, graph: str | None) -> list[Graph]:
    graphs = load_graphs(path, ontology=True)
    if graph is not None:
        merged = Graph(identifier=URIRef(graph))
        bind_prefixes(merged)
        for g in graphs:
            for t in g:
                merged.add(t)
        return [merged]
    unnamed = [g for g in graphs if not is_named(g)]
    if unnamed:
        raise UsageError(
            f"{path}: holds triples without a graph name (Turtle/N-Triples); "
            "push the N-Quads/TriG output or give --graph IRI"
        )
    return graphs


def _push_graph(http: _Http, target: Endpoint, graph: Graph, method: str = "auto") -> GraphPush:
    name = str(graph.identifier)
    if method == "update":
        return GraphPush(name, len(graph), "update", _push_by_update(http, target, graph))
    body = graph.serialize(format="nt", encoding="utf-8")
    url = target.graph_url(name)
    status, text = http.send("PUT", url, body, "application/n-triples")
    if status in _FALLBACK_STATUSES:
        # N-Triples is valid Turtle: stores that only know Turtle take the same bytes.
        status, text = http.send("PUT", url, body, "text/turtle")
    if status in _OK:
        return GraphPush(name, len(graph), "gsp", status)
    if status in _FALLBACK_STATUSES and method == "auto":
        return GraphPush(name, len(graph), "update", _push_by_update(http, target, graph))
    raise RemoteError(_status_message(target.store_url, name, status, text))


def _push_by_update(http: _Http, target: Endpoint, graph: Graph) -> int:
    """DROP a temporary graph, INSERT DATA into it in chunks, then MOVE it onto the target."""
    name = str(graph.identifier)
    tmp = f"urn:kgbuild:push-tmp:{hashlib.sha256(name.encode('utf-8')).hexdigest()[:16]}"
    lines = sorted(graph.serialize(format="nt", encoding="utf-8").decode("utf-8").split("\n"))
    lines = [ln for ln in lines if ln.strip()]
    statements = [f"DROP SILENT GRAPH <{tmp}>"]
    for i in range(0, len(lines), CHUNK_TRIPLES):
        chunk = "\n".join(lines[i : i + CHUNK_TRIPLES])
        statements.append(f"INSERT DATA {{ GRAPH <{tmp}> {{\n{chunk}\n}} }}")
    statements.append(f"MOVE SILENT GRAPH <{tmp}> TO <{name}>")
    status = 0
    try:
        for update in statements:
            status = _update(http, target, name, update)
    except RemoteError:
        try:  # best effort: do not leave the temporary graph behind
            _update(http, target, name, f"DROP SILENT GRAPH <{tmp}>")
        except RemoteError:
            pass
        raise
    return status


def _update(http: _Http, target: Endpoint, graph: str, update: str) -> int:
    body = urlencode({"update": update}).encode("ascii")
    status, text = http.send("POST", target.update_url, body, "application/x-www-form-urlencoded")
    if status not in _OK:
        raise RemoteError(_status_message(target.update_url, graph, status, text))
    return status


def _status_message(url: str, graph: str, status: int, text: str) -> str:
    detail = _first_line(text)
    if status == 401:
        return f"{url}: authentication failed (HTTP 401); check --user and --password"
    if status == 403:
        return f"{url}: permission denied (HTTP 403); the user may not write to the store"
    if status >= 500:
        return f"{url}: server error (HTTP {status}) while writing <{graph}>" + (f": {detail}" if detail else "")
    return f"{url}: the store rejected <{graph}> (HTTP {status})" + (f": {detail}" if detail else "")


def _connection_message(url: str, reason) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return f"cannot connect to {_host(url)}: connection refused (is the server running?)"
    if isinstance(reason, socket.gaierror):
        return f"cannot connect to {_host(url)}: unknown host"
    return f"cannot connect to {_host(url)}: {getattr(reason, 'strerror', None) or reason}"


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("<"):
            return line[:200]
    return ""


def _bounded(response) -> str:
    return response.read(MAX_BODY).decode("utf-8", "replace")


def _read(exc: urllib.error.HTTPError) -> str:
    try:
        return _bounded(exc)
    except Exception:  # the body is only used for the message
        return ""


def _recording(base: type[http.client.HTTPConnection], sockets: list[socket.socket]):
    class Recording(base):  # type: ignore[valid-type, misc]
        def connect(self) -> None:
            super().connect()
            sockets.append(self.sock)

    return Recording


class _RecordingHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, sockets: list[socket.socket]) -> None:
        super().__init__()
        self._connection = _recording(http.client.HTTPConnection, sockets)

    def http_open(self, req):
        return self.do_open(self._connection, req)


class _RecordingHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, sockets: list[socket.socket]) -> None:
        super().__init__()
        self._connection = _recording(http.client.HTTPSConnection, sockets)

    def https_open(self, req):
        return self.do_open(self._connection, req, context=self._context)
