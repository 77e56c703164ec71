"""What a job tells its user as it goes: ``note: ...`` and ``warning: ...`` lines."""

from __future__ import annotations

from collections.abc import Callable


class Notes(list):
    """Lines for the user, ``note: ...`` or ``warning: ...``, passed to ``report`` at once."""

    def __init__(self, report: Callable[[str], None] | None = None) -> None:
        super().__init__()
        self.report = report

    def note(self, line: str) -> None:
        self._add(f"note: {line}")

    def warn(self, line: str) -> None:
        self._add(f"warning: {line}")

    def _add(self, line: str) -> None:
        self.append(line)
        if self.report is not None:
            self.report(line)
