"""Golden test: sources of the annotated articles under tests/data, given their quotes.

Each gold file's quotes are handed to summarize-sources (speakers located in the text),
so these figures measure source finding, merging and typing on their own.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from arnews_cli.steps.parse import parse_file
from arnews_cli.steps.sources import summarize_sources

from .conftest import DATA
from .sources_helpers import match, with_gold_quotes

GOLD = sorted((DATA / "gold").glob("*.json"))


def _run(gold_path: Path) -> tuple[list[dict], list[dict]]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    article = parse_file(str(DATA / gold["file"]))
    out = summarize_sources(with_gold_quotes(article, gold))
    return gold["sources"], out.sources or []


@pytest.fixture(scope="module")
def results() -> list[tuple[list[dict], list[dict]]]:
    if not GOLD:
        pytest.skip("no gold files")
    return [_run(p) for p in GOLD]


def test_source_figures(results: list[tuple[list[dict], list[dict]]]) -> None:
    tp = n_pred = n_gold = anon = typ = role = 0
    for gold, pred in results:
        pairs = match(gold, pred)
        tp += len(pairs)
        n_pred += len(pred)
        n_gold += len(gold)
        anon += sum(bool(p["anonymous"]) == g["anonymous"] for g, p in pairs)
        typ += sum(p["type"] == g["type"] for g, p in pairs)
        role += sum(set(g["roles"]) <= set(p["roles"]) for g, p in pairs)
    precision, recall = tp / max(n_pred, 1), tp / max(n_gold, 1)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.85, (precision, recall)
    assert anon / tp >= 0.9
    assert typ / tp >= 0.8
    assert role / tp >= 0.95


@pytest.mark.parametrize("gold_path", GOLD, ids=[p.stem for p in GOLD])
def test_every_article_runs_and_spans_hold(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    article = parse_file(str(DATA / gold["file"]))
    out = summarize_sources(with_gold_quotes(article, gold))
    for s in out.sources or []:
        for m in s["mentions"]:
            assert 0 <= m["start"] < m["end"] <= len(article.text)
    assert out.source_summary["sources"] == len(out.sources or [])


def test_whole_chain_through_the_cli(tmp_path: Path) -> None:
    """parse → extract-quotes → summarize-sources as a user runs it, on every gold article."""
    from click.testing import CliRunner

    from arnews_cli.cli import cli

    if "extract-quotes" not in cli.commands:
        pytest.skip("extract-quotes is not available")
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in GOLD]
    paths = [str(DATA / g["file"]) for g in golds]
    result = CliRunner().invoke(
        cli, ["--format", "jsonl", "-j", "1", "parse", *paths, "extract-quotes",
              "summarize-sources"], catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == len(golds)
    tp = n_pred = n_gold = 0
    for gold, record in zip(golds, records, strict=True):
        assert record["path"].endswith(gold["file"])
        pairs = match(gold["sources"], record["sources"])
        tp, n_pred, n_gold = tp + len(pairs), n_pred + len(record["sources"]), n_gold + len(
            gold["sources"]
        )
    precision, recall = tp / max(n_pred, 1), tp / max(n_gold, 1)
    assert 2 * precision * recall / (precision + recall) >= 0.72, (precision, recall)
