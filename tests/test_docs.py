"""The README stays true: its commands exist, its set-up line is what CI runs."""

from __future__ import annotations

import re

import pytest

from arnews_cli.cli import cli

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = "python3 -m pip install uv && uv run pytest"
    assert command in README
    assert command in ci.splitlines()


def test_readme_main_job_runs_on_seeds() -> None:
    assert "uv run arnews parse seeds/ extract-quotes summarize-sources" in README


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_in_the_readme(name: str) -> None:
    assert re.search(rf"arnews .*\b{re.escape(name)}\b", README), name


@pytest.mark.parametrize("option", [p.opts[-1] for p in cli.params if p.opts[-1].startswith("--")])
def test_every_global_option_is_in_the_readme(option: str) -> None:
    if option in ("--help", "--version", "--quiet"):
        return
    assert option in README, option


def test_exit_codes_documented() -> None:
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 130 |"):
        assert code in README
