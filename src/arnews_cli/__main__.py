"""The ``arnews`` command, and ``python -m arnews_cli``."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the command line; Ctrl-C while it is still starting up exits 130 quietly."""
    try:
        from arnews_cli.cli import cli

        cli(prog_name="arnews")
    except KeyboardInterrupt as exc:  # before Click's own handling starts, or after it ends
        from arnews_cli.interrupts import stop_status, stop_word

        print(f"arnews: {stop_word(exc)}", file=sys.stderr)
        raise SystemExit(stop_status(exc)) from None


if __name__ == "__main__":
    main()
