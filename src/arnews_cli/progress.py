"""Progress on stderr while a run goes on, and the one-line summary at its end."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from arnews_cli.runner import Outcome, Totals


class Progress:
    """A rich progress line (files/s, MB/s) on a terminal's stderr; silent elsewhere.

    The line is shown only when nothing else goes to the same terminal while it runs:
    not when the records or tables themselves are printed there (they show the progress,
    and a line redrawn between them would be left in their midst). Failures go through
    :meth:`report`, which prints them above the line and counts them.
    """

    def __init__(self, enabled: bool, report: Callable[[str], None] = lambda m: None,
                 records_on_terminal: bool = False) -> None:
        self.totals = Totals()
        self._report = report
        self._bar: Any = None
        self._task: Any = None
        if enabled and sys.stderr.isatty() and not records_on_terminal:
            from rich.console import Console
            from rich.progress import Progress as RichProgress
            from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

            self._bar = RichProgress(
                SpinnerColumn(),
                TextColumn("{task.completed:,} files"),
                TextColumn("{task.fields[failed]:,} failed"),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                console=Console(stderr=True, markup=False),  # file names are text
                transient=True,
                redirect_stdout=False,  # stdout holds the records (the text view writes there)
            )
            self._task = self._bar.add_task("arnews", total=None, failed=0, rate="")

    def __enter__(self) -> Progress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def stop(self) -> None:
        """Clear the line (before a message, a table or the summary); idempotent."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def report(self, message: str) -> None:
        """Show one failure (above the progress line while it runs) and count it."""
        if self._bar is not None:
            self._bar.console.print(
                f"arnews: {message}", markup=False, highlight=False, emoji=False,
                soft_wrap=True,
            )
        else:
            self._report(message)
        self.failed()

    def failed(self, count: int = 1) -> None:
        self.totals.failed += count
        self._refresh()

    def advance(self, outcome: Outcome) -> None:
        t = self.totals
        t.ok += outcome.ok
        t.skipped += outcome.skipped
        t.nbytes += outcome.nbytes
        self._refresh()

    def _refresh(self) -> None:
        if self._bar is None:
            return
        t = self.totals
        seconds = max(time.perf_counter() - t.started, 1e-9)
        rate = f"{(t.ok + t.failed) / seconds:,.0f} files/s, {t.nbytes / seconds / 1e6:.1f} MB/s"
        self._bar.update(self._task, completed=t.ok + t.failed, failed=t.failed, rate=rate)

    def summary(self) -> str:
        t = self.totals
        seconds = time.perf_counter() - t.started
        resumed = f" ({t.skipped:,} already done)" if t.skipped else ""
        return f"{t.ok:,} ok{resumed}, {t.failed:,} failed, {seconds:.1f} s"
