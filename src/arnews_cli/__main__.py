"""The ``arnews`` command, and ``python -m arnews_cli``."""

import io  # loaded with the interpreter, unlike typing (whose imports Ctrl-C could break)
import sys

TYPE_CHECKING = False  # typing itself is not loaded: see above
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import NoReturn


def main() -> None:
    """Run the command line; Ctrl-C while it is still starting up exits 130 quietly."""
    if sys.stderr is None:  # started with stderr closed (2>&-): messages go nowhere
        sys.stderr = _null_stderr()
    try:
        cli = _load()
        cli(prog_name="arnews")
    except KeyboardInterrupt as exc:  # before Click's own handling starts, or after it ends
        _stopped(exc)
    except Exception as exc:  # a bug outside any one article's work (that article fails)
        stop = _stop_inside(exc)
        if stop is not None:  # Ctrl-C in an import, wrapped (a class being built)
            _stopped(stop)
        if [a for a in sys.argv[1:] if a in ("--debug", "--no-debug")][-1:] == ["--debug"]:
            raise
        from arnews_cli.pipeline import describe

        print(f"arnews: {describe(exc)}; run with --debug to see where", file=sys.stderr)
        raise SystemExit(1) from None


def _stopped(exc: KeyboardInterrupt) -> "NoReturn":
    """Say the run was stopped and exit with its status; a stop arriving meanwhile (a
    second Ctrl-C, one delivered again after landing in a destructor) is ignored rather
    than raised into the interpreter's exit."""
    from arnews_cli.interrupts import ignore_stops, stop_status, stop_word

    ignore_stops()
    print(f"arnews: {stop_word(exc)}", file=sys.stderr)
    raise SystemExit(stop_status(exc)) from None


def _stop_inside(exc: BaseException) -> "KeyboardInterrupt | None":
    """The Ctrl-C (or ``SIGTERM``) that ``exc`` wraps, if any: Python 3.11 turns one
    raised in ``__set_name__`` while a class is built into a ``RuntimeError``."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return cause
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return None


def _load() -> "Callable[..., None]":
    """The command, its modules imported with Ctrl-C held back: landing in an import it
    can be swallowed ("Exception ignored" in an import lock's callback, and the run goes
    on) or turned into another error (a class being built); it is raised after. Not
    :func:`arnews_cli.interrupts.ctrl_c_held`: importing that is itself one of the
    imports to guard."""
    import signal

    came: list[int] = []
    previous = signal.getsignal(signal.SIGINT)
    held = previous is signal.default_int_handler
    if held:
        signal.signal(signal.SIGINT, lambda signum, frame: came.append(signum))
    try:
        from arnews_cli.cli import cli
        from arnews_cli.interrupts import take_stops
    finally:
        if held:
            signal.signal(signal.SIGINT, previous)
    # from here on a stop is raised where it cannot be lost: the subcommands import their
    # steps next, and a Ctrl-C landing in a destructor there would be printed and dropped
    take_stops()
    if came:
        raise KeyboardInterrupt
    return cli


def _null_stderr() -> io.TextIOWrapper:
    """The null device as stderr, on descriptor 2 when that is free, so that no file
    opened later takes it and receives what is written to stderr (workers' included)."""
    import os

    return open(os.open(os.devnull, os.O_WRONLY), "w", encoding="utf-8")  # noqa: SIM115


if __name__ == "__main__":
    main()
