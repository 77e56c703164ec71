"""A graceful stop on SIGTERM: first ``/readyz`` says 503, then uvicorn stops.

What a load balancer or Kubernetes expects of a service it is about to stop:

1. SIGTERM: ``/readyz`` answers 503 ("stopping") at once, while every request is still
   served, for ``drain_s`` seconds (``--drain-seconds``): time for the balancer's probes
   to see it and send new clients elsewhere;
2. then uvicorn's own graceful stop: the port closes (new connections are refused), idle
   keep-alive connections close, and requests in flight finish within uvicorn's
   ``timeout_graceful_shutdown`` (``--grace-seconds``); what is still running after it is
   cancelled;
3. the app's shutdown (the prediction thread stops) and the process exits.

A second SIGTERM during the drain skips the rest of it; SIGINT (Ctrl+C) stops at once, as
uvicorn does. Installed by the app's start-up when it runs in a process's main thread
under uvicorn, whose handler it wraps (each ``--workers`` process has its own).
"""

from __future__ import annotations

import signal
import threading


def drain_on_sigterm(stopping: threading.Event, drain_s: float) -> bool:
    """Wrap the server's SIGTERM handler: set ``stopping``, then after ``drain_s`` hand the
    signal on. False (nothing installed) off the main thread or with no handler to wrap."""
    if threading.current_thread() is not threading.main_thread():
        return False  # a test client's thread: signals are not ours to take
    server_handler = signal.getsignal(signal.SIGTERM)
    if not callable(server_handler):
        return False

    def on_sigterm(sig, frame) -> None:
        if stopping.is_set() or drain_s <= 0:
            stopping.set()
            server_handler(sig, frame)  # a second SIGTERM: stop now
            return
        stopping.set()
        timer = threading.Timer(drain_s, server_handler, (sig, None))
        timer.daemon = True
        timer.start()

    signal.signal(signal.SIGTERM, on_sigterm)
    return True
