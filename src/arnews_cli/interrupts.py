"""Ctrl-C held back for the few moments it must not land in."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType


@contextlib.contextmanager
def ctrl_c_held() -> Iterator[None]:
    """Hold Ctrl-C (``SIGINT``) back until the block ends, then raise it.

    Used while the worker pool forks (a new worker would die of it before it ignores it,
    and the parent would lose it inside Python's fork handlers), while the workers are
    stopped (a second Ctrl-C must not cut the clean-up short), and while orjson's
    extension module sets itself up (an interrupt there crashes the interpreter). The
    signal is only noted meanwhile, whichever thread receives it. Outside the main
    thread, where handlers cannot be set, the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came: list[int] = []

    def note(signum: int, frame: FrameType | None) -> None:
        came.append(signum)

    previous = signal.signal(signal.SIGINT, note)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if came and previous is signal.default_int_handler:
        raise KeyboardInterrupt
