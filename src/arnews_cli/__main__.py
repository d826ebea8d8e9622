"""The ``arnews`` command, and ``python -m arnews_cli``."""

from __future__ import annotations


def main() -> None:
    """Run the command line; Ctrl-C while it is still starting up exits 130 quietly."""
    try:
        from arnews_cli.cli import cli
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    cli(prog_name="arnews")


if __name__ == "__main__":
    main()
