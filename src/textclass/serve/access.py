"""Who may ask, checked before a request's body is read: the Host header and the API key.

- **Host**: with ``allowed_hosts`` (what ``textclass serve`` sets for a loopback bind:
  ``127.0.0.1``, ``localhost``, ``::1``), another Host header gets 400: a web page on
  another site cannot reach a no-key local server by pointing its own name at 127.0.0.1
  (DNS rebinding), as Starlette's ``TrustedHostMiddleware`` and Django's
  ``ALLOWED_HOSTS`` guard.
- **API key**: with ``api_key``, ``/v1`` needs ``Authorization: Bearer <key>`` (401
  otherwise), compared in constant time on the bytes sent, so a key with non-ASCII
  characters works, and before any body is read or parsed (bad JSON from a client
  without the key is 401, not 400).
"""

from __future__ import annotations

import hmac

from textclass.serve.errors import error_response

KEY_PATHS = ("/v1/", "/v1")  # the probes, the page and /docs stay open


class AccessRules:
    """ASGI middleware: 400 for a Host not allowed, 401 for a missing or wrong key."""

    def __init__(self, app, *, api_key: str | None, allowed_hosts: tuple[str, ...]) -> None:
        self.app = app
        self.key = None if api_key is None else api_key.encode("utf-8")
        self.hosts = {h.lower() for h in allowed_hosts}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        refused = self._refused(scope["path"], headers)
        if refused is not None:
            return await refused(scope, receive, send)
        return await self.app(scope, receive, send)

    def _refused(self, path: str, headers: dict):
        if self.hosts:
            host = host_name(headers.get(b"host", b"").decode("latin-1"))
            if host not in self.hosts:
                return error_response(
                    400,
                    f"Host {host!r} is not served here (allowed: {', '.join(sorted(self.hosts))})",
                )
        if self.key is not None and path.startswith(KEY_PATHS) and not self._key_ok(headers):
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
