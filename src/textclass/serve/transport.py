"""The HTTP connection itself: a client gets ``read_timeout_s`` to send each request whole.

uvicorn closes a connection idle *between* requests (keep-alive), but not one that sent
half a request and stalled: a client could hold thousands of them open until the server
ran out of file descriptors, and a body that declares more bytes than it sends held its
request open for over a minute. :func:`guarded_protocol` is uvicorn's httptools protocol
with one timer per request, from its first byte (or the connection's start) to its last:
past it, a request whose headers never ended gets ``408`` and the connection closes; one
stalled in its body is closed (the app sees a disconnect).
"""

from __future__ import annotations

READ_TIMEOUT_S = 10.0  # the default: seconds to send one request, headers and body


def guarded_protocol(read_timeout_s: float = READ_TIMEOUT_S) -> type:
    """uvicorn's ``http=`` protocol class with the per-request read timeout."""
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class GuardedHttpTools(HttpToolsProtocol):
        read_timeout = read_timeout_s

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._reading, self._headers_done = None, False
            self._arm()  # a client that connects and sends nothing is a stalled request

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._headers_done = False
            self._arm()

        def on_headers_complete(self) -> None:
            self._headers_done = True
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            self._disarm()
            super().on_message_complete()

        def connection_lost(self, exc) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            self._disarm()
            self._reading = self.loop.call_later(self.read_timeout, self._stalled)

        def _disarm(self) -> None:
            timer, self._reading = getattr(self, "_reading", None), None
            if timer is not None:
                timer.cancel()

        def _stalled(self) -> None:
            self._reading = None
            if self.transport.is_closing():
                return
            # 408 only while the headers never ended; a request whose body stalled is closed
            # (it may have had its answer already: a 401 or 413 sent before the body)
            if not self._headers_done:
                self.transport.write(
                    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
                    b"connection: close\r\ncontent-length: 52\r\n\r\n"
                    b'{"error": "the request was not sent in time (408)"}\n'
                )
            self.transport.close()

    return GuardedHttpTools
