"""Records read back are checked field by field: an edited or foreign record is refused
in one line before any step or view meets it."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner, Result

from arnews_cli.cli import cli

from .conftest import SEED

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="module")
def record() -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["--format", "jsonl", "parse", str(SEED), "normalize",
                                      "tokenize", "extract-quotes", "summarize-sources"])
    assert result.exit_code == 0, result.stderr
    found: dict[str, Any] = json.loads(result.stdout)
    assert found["quotes"] and found["sources"] and found["tokens"]["start"]
    return found


def _set(path: str, value: Any) -> Edit:
    """An edit as jq would make it: ``quotes.0.speaker`` set to ``value``."""
    def edit(rec: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = rec
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        node[int(last) if last.isdigit() else last] = value
    return edit


EDITS: dict[str, Edit] = {
    "speaker as a string": _set("quotes.0.speaker", "الوزير"),
    "no cue": _set("quotes.0.cue", None),
    "no kind": _set("quotes.0.kind", None),
    "via not a list": _set("quotes.0.via", 5),
    "quote past the text": _set("quotes.0.end", 10**6),
    "quote text edited": _set("quotes.0.text", "x"),
    "source without a type": _set("sources.0.type", None),
    "source via of numbers": _set("sources.0.via", [1]),
    "mention not an object": _set("sources.0.mentions.0", "x"),
    "normalized text missing": _set("normalized.text", None),
    "normalized map a string": _set("normalized.map", "x"),
    "normalized map past the text": _set("normalized.map", [[0, 0], [10, 99999]]),
    "normalized steps of numbers": _set("normalized.steps", [1]),
    "token start an object": _set("tokens.start", {"a": 1}),
    "token past the text": _set("tokens.end.0", 10**6),
    "token columns of two lengths": _set("tokens.sentence", [0]),
    "sentence a string": _set("sentences.0", "x"),
}


def _run(args: list[str], lines: list[dict[str, Any]]) -> Result:
    data = "\n".join(json.dumps(r, ensure_ascii=False) for r in lines).encode()
    return CliRunner().invoke(cli, args, input=data, catch_exceptions=False)


@pytest.mark.parametrize("name", EDITS)
@pytest.mark.parametrize("fmt", ["text", "table", "jsonl"])
def test_an_edited_field_is_refused_in_one_line(
    record: dict[str, Any], name: str, fmt: str,
) -> None:
    bad = copy.deepcopy(record)
    EDITS[name](bad)
    result = _run(["--format", fmt, "view"], [bad, record])
    assert result.exit_code == 1
    assert result.stderr.startswith("arnews: stdin:1: malformed record ("), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert record["path"] in result.stdout  # the good record after it is shown


def test_a_text_cut_under_its_normalized_form_is_refused(record: dict[str, Any]) -> None:
    cut = copy.deepcopy(record)
    cut["text"], cut["blocks"] = cut["text"][200:], []
    for key in ("tokens", "sentences", "quotes", "sources", "source_summary"):
        cut.pop(key)
    result = _run(["tokenize"], [cut])
    assert result.exit_code == 1 and "'normalized'" in result.stderr


def test_every_record_the_steps_write_passes(record: dict[str, Any]) -> None:
    result = _run(["--format", "jsonl", "view"], [record])
    assert result.exit_code == 0 and json.loads(result.stdout) == record


def test_a_json_array_on_stdin_is_refused_once(record: dict[str, Any]) -> None:
    pretty = json.dumps([record, record], ensure_ascii=False, indent=2).encode()
    result = CliRunner().invoke(cli, ["view"], input=pretty, catch_exceptions=False)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 2, result.stderr  # the reason, then the count
    assert "not JSON Lines" in result.stderr and "jq -c" in result.stderr


@pytest.mark.parametrize("text", ["\u200fقال الوزير إن الوضع خطير", "ـــ", "\u200f\u200f"])
def test_normalize_output_read_back_passes(text: str) -> None:
    # a character normalize drops at the start (RLM, tatweel) starts the map at [0, k]
    made = CliRunner().invoke(cli, ["--format", "jsonl", "parse", "-", "normalize"],
                              input=text.encode())
    if made.exit_code != 0:  # an article of only invisible characters may be refused
        assert "arnews: -:" in made.stderr
        return
    again = CliRunner().invoke(cli, ["--format", "jsonl", "tokenize"], input=made.stdout)
    assert again.exit_code == 0, again.stderr
