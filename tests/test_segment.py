"""tokenize --segment: the real camel-tools code path, offline, on a tiny handmade database.

``tests/data/camel`` is a camel-tools data directory (catalogue, morphology database and
MLE model) with a handful of words, so the MLE disambiguator and the morphological
tokenizer run for real without the 200 MB download. It runs in a subprocess: camel-tools
reads ``CAMELTOOLS_DATA`` once, when ``camel_tools.data`` is first imported, and fetches a
catalogue from the network when it finds none (the proxy settings make that fail fast).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA

CAMEL_DATA = DATA / "camel"
ARTICLE = "وقال الوزير إن كتابه جديد.\n"


def run(args: list[str], data: Path | None, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HOME": str(tmp_path / "home"),
        "http_proxy": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
    }
    env.pop("CAMELTOOLS_DATA", None)
    if data is not None:
        env["CAMELTOOLS_DATA"] = str(data)
    (tmp_path / "home").mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "arnews_cli", "-j1", *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        ("d3tok", [["و+", "قال"], ["ال+", "وزير"], ["إن"], ["كتاب", "+ه"], ["جديد"], ["."]]),
        ("atbtok", [["و+", "قال"], ["الوزير"], ["إن"], ["كتاب", "+ه"], ["جديد"], ["."]]),
    ],
)
def test_segments_through_camel_tools(
    tmp_path: Path, article: Path, scheme: str, expected: list[list[str]]
) -> None:
    result = run(["parse", str(article), "tokenize", "--segment", scheme], CAMEL_DATA, tmp_path)
    assert result.returncode == 0, result.stderr
    tokens = json.loads(result.stdout)["tokens"]
    assert tokens["segments"] == expected
    assert len(tokens["segments"]) == len(tokens["start"])


def test_missing_data_is_one_clear_line(tmp_path: Path, article: Path) -> None:
    empty = tmp_path / "no-data"
    empty.mkdir()
    result = run(["parse", str(article), "tokenize", "--segment", "d3tok"], empty, tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "camel_data -i light" in line and str(empty) in line
    assert result.stdout == ""
    plain = run(["parse", str(article), "tokenize"], empty, tmp_path)
    assert plain.returncode == 0 and json.loads(plain.stdout)["tokens"]["start"]


def test_unknown_scheme_of_the_model(tmp_path: Path, article: Path) -> None:
    result = run(["parse", str(article), "tokenize", "--segment", "d1tok"], CAMEL_DATA, tmp_path)
    assert result.returncode == 1
    assert "no 'd1tok' segmentation" in result.stderr and "Traceback" not in result.stderr
