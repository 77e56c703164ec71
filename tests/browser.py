"""The system Chromium for browser tests, with the flags this closed network needs."""

import shutil

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SKIP_REASON = "Chromium not installed (Debian: apt install chromium)"
# without the background-networking flags Chromium keeps dialling out of a closed network
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
