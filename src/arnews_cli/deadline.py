"""Per-input time limits for threads other than the main one (Dask runs tasks there).

Signals reach only the main thread, so the runner's per-file time limit uses this off
it: one watchdog thread per process keeps every armed thread's deadline and raises
:class:`TimeoutError` asynchronously in a thread that overstays. Python code is stopped
at its next bytecode; a long call into C code only once it returns. Arming and disarming
take a lock and nothing more: the watchdog wakes only when a deadline is due, so
limits on thousands of short inputs cost next to nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import math
import os
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType

from arnews_cli.interrupts import in_finalizer


class _Watchdog:
    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.deadlines: dict[int, tuple[float, type[BaseException]]] = {}
        self.wake_at = math.inf
        self.thread: threading.Thread | None = None

    def arm(self, ident: int, seconds: float, error: type[BaseException]) -> None:
        deadline = time.monotonic() + seconds
        with self.cond:
            self.deadlines[ident] = (deadline, error)
            if self.thread is None:
                self.thread = threading.Thread(target=self._loop, name="arnews-deadline",
                                               daemon=True)
                self.thread.start()
            elif deadline < self.wake_at:
                self.cond.notify()

    def disarm(self, ident: int) -> bool:
        """Forget ``ident``'s deadline; whether it had already expired."""
        with self.cond:
            return self.deadlines.pop(ident, None) is None

    def _loop(self) -> None:
        with self.cond:
            while True:
                now = time.monotonic()
                frames: dict[int, FrameType] | None = None
                for ident, (deadline, error) in list(self.deadlines.items()):
                    if deadline <= now:
                        if frames is None:
                            frames = sys._current_frames()
                        if in_finalizer(frames.get(ident)):
                            # raised in a destructor or a gc callback (Dask's) it would be
                            # printed and dropped: try again a millisecond later
                            self.deadlines[ident] = (now + 0.001, error)
                            continue
                        del self.deadlines[ident]
                        _raise_in(ident, error)
                self.wake_at = min((d for d, _ in self.deadlines.values()), default=math.inf)
                self.cond.wait(None if self.wake_at == math.inf else self.wake_at - now)


def _raise_in(ident: int, error: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(ident), ctypes.py_object(error) if error is not None else None
    )


_watchdog = _Watchdog()


def _after_fork() -> None:
    global _watchdog
    _watchdog = _Watchdog()


os.register_at_fork(after_in_child=_after_fork)


@functools.cache
def _expired(seconds: float) -> type[TimeoutError]:
    """A :class:`TimeoutError` whose message names the limit (raised as a class)."""

    class Expired(TimeoutError):
        def __str__(self) -> str:
            return f"{seconds:g} s per file"

    return Expired


@contextlib.contextmanager
def thread_time_limit(seconds: float, limit: float | None = None) -> Iterator[None]:
    """Raise :class:`TimeoutError` (``"N s per file"``, N the whole ``limit`` when part
    of it is already spent) in this thread after ``seconds``."""

    ident = threading.get_ident()
    watchdog = _watchdog
    watchdog.arm(ident, seconds, _expired(seconds if limit is None else limit))
    try:
        yield
    finally:
        if watchdog.disarm(ident):  # expired: take back an exception not raised yet
            _raise_in(ident, None)
