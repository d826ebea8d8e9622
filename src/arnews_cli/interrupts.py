"""Ctrl-C and ``SIGTERM``: how a run is stopped, and the few moments a stop must wait."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType


class Terminated(KeyboardInterrupt):
    """``SIGTERM`` (``kill``, a supervisor, a cancelled job): the run stops as on Ctrl-C
    (workers stopped, no temporary file left), with status 143."""


def stop_status(exc: BaseException) -> int:
    """The exit status of a run stopped by ``exc``: 143 for ``SIGTERM``, 130 for Ctrl-C."""
    return 128 + signal.SIGTERM if isinstance(exc, Terminated) else 130


def stop_word(exc: BaseException) -> str:
    """How a run stopped by ``exc`` says it stopped."""
    return "terminated" if isinstance(exc, Terminated) else "interrupted"


def _stop(signum: int, frame: FrameType | None) -> None:
    if in_finalizer(frame):
        # raised in a destructor or a gc callback, the stop would be printed ("Exception
        # ignored") and dropped, and the run go on: deliver the signal again in a moment
        threading.Timer(0.001, os.kill, (os.getpid(), signum)).start()
        return
    raise Terminated if signum == signal.SIGTERM else KeyboardInterrupt


def take_stops() -> None:
    """Turn ``SIGTERM`` into :class:`Terminated` in this process (its default would end
    it at once, leaving the workers and temporary files behind), and have both it and
    Ctrl-C (unless ignored, as in a background job) wait out a destructor they land in."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, _stop)


def ignore_stops() -> None:
    """Once stopping, ignore further Ctrl-C and ``SIGTERM``: they would only break into
    the clean-up Python does at exit (and print its traceback)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


@contextlib.contextmanager
def ctrl_c_held() -> Iterator[None]:
    """Hold Ctrl-C (``SIGINT``) and ``SIGTERM`` back until the block ends, then raise.

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
    holder = os.getpid()

    def note(signum: int, frame: FrameType | None) -> None:
        if signum == signal.SIGTERM and os.getpid() != holder:
            # a worker forked in the block, told to stop before it set its own handler:
            # it would never leave this block, and the stop would be lost
            os._exit(128 + signum)
        came.append(signum)

    previous = {sig: signal.signal(sig, note) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if signal.SIGTERM in came and previous[signal.SIGTERM] is _stop:
        raise Terminated
    if signal.SIGINT in came and previous[signal.SIGINT] in (_stop, signal.default_int_handler):
        raise KeyboardInterrupt


def in_finalizer(frame: FrameType | None) -> bool:
    """Whether ``frame`` runs inside a ``__del__`` method, a garbage-collector callback or
    the import system's lock callback (one of its callers is one), where an exception
    raised would be printed ("Exception ignored in …") and dropped instead of stopping
    the work."""
    import gc

    hooks = {getattr(getattr(cb, "__func__", cb), "__code__", None) for cb in gc.callbacks}
    while frame is not None:
        code = frame.f_code
        if code.co_name == "__del__" or code in hooks or (
            code.co_name == "cb" and code.co_filename == "<frozen importlib._bootstrap>"
        ):  # the last: the weak-reference callback that drops a module's import lock
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def ctrl_c_blocked() -> Iterator[None]:
    """Block Ctrl-C (``SIGINT``) in this thread while the block runs: the threads and
    processes started meanwhile inherit the block, and a Ctrl-C sent to this process
    waits until the block ends unless another thread takes it. (``SIGTERM`` stays
    deliverable: a worker must still end when it is told to.)"""
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
