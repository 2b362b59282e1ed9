"""A small progress bar on standard error for long commands (generation, import)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Counts steps towards a total; redraws one line on a terminal, else prints every tenth."""

    WIDTH = 30

    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self._last_tenth = -1
        self._last_draw = 0.0
        self._draw(force=True)

    def advance(self, steps: int = 1) -> None:
        self.done = min(self.total, self.done + steps)
        self._draw()

    def close(self) -> None:
        self.done = self.total
        self._draw(force=True)
        if self.tty:
            self.stream.write("\n")
        self.stream.flush()

    def _draw(self, force: bool = False) -> None:
        fraction = self.done / self.total
        elapsed = time.monotonic() - self.started
        if self.tty:
            # Redrawing more than ten times a second only costs time.
            if not force and elapsed - self._last_draw < 0.1:
                return
            self._last_draw = elapsed
            filled = int(fraction * self.WIDTH)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            self.stream.write(
                f"\r{self.label} [{bar}] {fraction:4.0%} {self.done}/{self.total} {elapsed:5.1f}s"
            )
            self.stream.flush()
            return
        tenth = int(fraction * 10)
        if tenth != self._last_tenth:
            self._last_tenth = tenth
            self.stream.write(
                f"{self.label}: {fraction:4.0%} ({self.done}/{self.total}, {elapsed:.1f}s)\n"
            )
            self.stream.flush()
