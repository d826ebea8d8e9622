"""Allow ``python -m arnews_cli``."""

from arnews_cli.cli import cli

if __name__ == "__main__":
    cli(prog_name="arnews")
