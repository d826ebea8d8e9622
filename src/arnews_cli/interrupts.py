"""Ctrl-C held back for the few moments it must not land in."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator


@contextlib.contextmanager
def ctrl_c_held() -> Iterator[None]:
    """Hold Ctrl-C (``SIGINT``) back in this thread; it is delivered when the block ends.

    Used while the worker pool forks (a new worker would die of it before it ignores it,
    and the parent would lose it inside Python's fork handlers) and while orjson's
    extension module sets itself up (an interrupt there crashes the interpreter).
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
