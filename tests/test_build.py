"""The compiled build: what it compiles, and that a run can tell which build it is."""

from __future__ import annotations

import ast
import importlib
import os
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest
from click.testing import CliRunner

from arnews_cli.build import describe_build, is_compiled
from arnews_cli.cli import cli

ROOT = Path(__file__).resolve().parents[1]
# the modules that run the signal handlers, the time limit and the worker processes: they
# stay interpreted, because compiled loops do not stop for Python signal handlers
ENGINE = {"cli.py", "runner.py", "deadline.py", "pipeline.py", "progress.py", "output.py"}


def _compiled_list() -> tuple[str, ...]:
    tree = ast.parse((ROOT / "hatch_build.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "COMPILED":
            value = ast.literal_eval(node.value)
            assert isinstance(value, tuple)
            return value
    raise AssertionError("hatch_build.py lists no COMPILED modules")


def _module(name: str) -> str:
    return "arnews_cli." + name.removesuffix(".py").replace("/", ".")


def test_the_compiled_modules_exist_and_leave_the_engine_interpreted() -> None:
    listed = _compiled_list()
    assert "steps/quotes.py" in listed  # the probe of arnews_cli.build
    for name in listed:
        assert (ROOT / "src" / "arnews_cli" / name).is_file(), name
    assert not ENGINE & set(listed)


def test_the_build_in_use_is_reported() -> None:
    quotes = importlib.import_module("arnews_cli.steps.quotes")
    compiled = str(quotes.__file__).endswith(tuple(EXTENSION_SUFFIXES))
    assert describe_build().startswith("compiled with mypyc" if compiled else "interpreted")
    out = CliRunner().invoke(cli, ["--version"]).output
    assert out.startswith("arnews, version ") and describe_build() in out


def test_is_compiled_tells_an_extension_module_from_a_source_file() -> None:
    assert is_compiled("regex._regex")  # the C half of regex
    assert not is_compiled("regex.regex")
    assert not is_compiled("arnews_cli.cli")  # never compiled


def test_no_extension_module_lies_beside_the_sources() -> None:
    """One would be imported instead of its source, so edits would silently not run."""
    built = [p for p in (ROOT / "src").rglob("*") if p.name.endswith(tuple(EXTENSION_SUFFIXES))]
    assert not built


def test_a_compiled_install_compiles_every_listed_module() -> None:
    """Run with ARNEWS_EXPECT_COMPILED=1 against a compiled install (as CI does)."""
    if not os.environ.get("ARNEWS_EXPECT_COMPILED"):
        pytest.skip("not a compiled install (ARNEWS_EXPECT_COMPILED unset)")
    missing = [n for n in _compiled_list() if not is_compiled(_module(n))]
    assert not missing


def test_the_compiler_is_the_mypy_of_the_lock() -> None:
    """The build hook pins the mypy (mypyc) and regex stubs releases that the lock, and
    so CI, tests."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    hook = project["tool"]["hatch"]["build"]["targets"]["wheel"]["hooks"]["custom"]
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    locked = {p["name"]: p.get("version") for p in lock["package"]}
    for name in ("mypy", "types-regex"):
        pins = [d for d in hook["dependencies"] if d.startswith(f"{name}==")]
        assert pins == [f"{name}=={locked[name]}"]
