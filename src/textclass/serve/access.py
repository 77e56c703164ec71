"""Who may ask, checked before a request's body is read: the Host header and the API key.

- **Host**: with ``allowed_hosts`` (what ``textclass serve`` sets for a loopback bind:
  ``127.0.0.1``, ``localhost``, ``::1``), another Host header gets 400: a web page on
  another site cannot reach a no-key local server by pointing its own name at 127.0.0.1
  (DNS rebinding), as Starlette's ``TrustedHostMiddleware`` and Django's
  ``ALLOWED_HOSTS`` guard.
- **API key**: with ``api_key``, ``/v1`` needs ``Authorization: Bearer <key>`` (401
  otherwise), compared in constant time on the bytes sent, so a key with non-ASCII
  characters works, and before any body is read or parsed (bad JSON from a client
  without the key is 401, not 400). A client address that sends ``max_key_failures``
  wrong keys within a minute gets 429 (with ``Retry-After``) until that minute is over,
  without its key being compared: guessing a key takes forever. (Behind a proxy every
  client shares the proxy's address; the proxy should limit them.)
"""

from __future__ import annotations

import hmac
import math
import time
from collections import OrderedDict

from textclass.serve.errors import error_response

KEY_PATHS = ("/v1/", "/v1")  # the probes, the page and /docs stay open
KEY_FAILURE_WINDOW_S = 60.0
KEY_FAILURE_CLIENTS = 10_000  # addresses remembered at most (the oldest forgotten first)


class AccessRules:
    """ASGI middleware: 400 for a Host not allowed, 401 for a missing or wrong key."""

    def __init__(
        self,
        app,
        *,
        api_key: str | None,
        allowed_hosts: tuple[str, ...],
        max_key_failures: int = 10,
    ) -> None:
        self.app = app
        self.key = None if api_key is None else api_key.encode("utf-8")
        self.hosts = {h.lower() for h in allowed_hosts}
        self.failures = FailedKeys(max_key_failures)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        client = (scope.get("client") or ("-",))[0]
        refused = self._refused(scope["path"], headers, client)
        if refused is not None:
            return await refused(scope, receive, send)
        return await self.app(scope, receive, send)

    def _refused(self, path: str, headers: dict, client: str):
        if self.hosts:
            host = host_name(headers.get(b"host", b"").decode("latin-1"))
            if host not in self.hosts:
                return error_response(
                    400,
                    f"Host {host!r} is not served here (allowed: {', '.join(sorted(self.hosts))})",
                )
        if self.key is None or not path.startswith(KEY_PATHS):
            return None
        wait = self.failures.retry_after(client)
        if wait is not None:
            return error_response(
                429,
                f"too many wrong API keys from {client}: try again in {math.ceil(wait)} s",
                {"Retry-After": str(math.ceil(wait))},
            )
        if not self._key_ok(headers):
            self.failures.failed(client)
            return error_response(
                401,
                "missing or wrong API key: send 'Authorization: Bearer <key>'",
                {"WWW-Authenticate": "Bearer"},
            )
        return None

    def _key_ok(self, headers: dict) -> bool:
        scheme, _, token = headers.get(b"authorization", b"").partition(b" ")
        return scheme.lower() == b"bearer" and hmac.compare_digest(token, self.key)


def host_name(host: str) -> str:
    """``localhost:8000`` -> ``localhost``; ``[::1]:8000`` -> ``::1``; lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


class FailedKeys:
    """Wrong keys per client address in fixed windows: past ``limit`` in one window, the
    client waits for its end. Remembers at most ``clients`` addresses (memory is bounded
    whatever addresses a flood comes from)."""

    def __init__(
        self,
        limit: int,
        window_s: float = KEY_FAILURE_WINDOW_S,
        clients: int = KEY_FAILURE_CLIENTS,
        clock=time.monotonic,
    ) -> None:
        self.limit, self.window_s, self.clients, self.clock = limit, window_s, clients, clock
        self._windows: OrderedDict[str, tuple[float, int]] = OrderedDict()  # start, failures

    def retry_after(self, client: str) -> float | None:
        """Seconds ``client`` must wait, or None when it may try a key."""
        start, failures = self._windows.get(client, (0.0, 0))
        left = start + self.window_s - self.clock()
        if left <= 0:
            self._windows.pop(client, None)
            return None
        return left if failures >= self.limit else None

    def failed(self, client: str) -> None:
        now = self.clock()
        start, failures = self._windows.pop(client, (now, 0))
        if now - start >= self.window_s:
            start, failures = now, 0
        self._windows[client] = (start, failures + 1)
        while len(self._windows) > self.clients:
            self._windows.popitem(last=False)
