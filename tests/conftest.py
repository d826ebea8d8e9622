"""Shared fixtures: the seed article, the optional sibling corpus, golden-file updating."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_9eba523b984c4cfc.txt"
DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", default=False,
        help="Rewrite expected golden files from the current output.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def corpus_files() -> list[Path]:
    """Every UTF-8 article of the sibling corpus; skips when it is not checked out."""
    if not CORPUS.is_dir():
        pytest.skip("the ../shared/corpus folder is not present")
    return sorted(p for p in CORPUS.glob("*/*.txt") if p.parent.name != "raw-encodings")


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def make_tree(root: Path, limit: int | None = None) -> Path:
    """Copy test articles into ``root/in/<folder>/`` and add a ``broken/`` folder holding
    an empty and a binary file; return ``root/in``."""
    src = root / "in"
    articles = sorted((DATA / "corpus").glob("*/*.txt"))[:limit]
    assert len(articles) >= 10
    for path in articles:
        target = src / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    broken = src / "broken"
    broken.mkdir()
    (broken / "empty.txt").write_bytes(b"")
    (broken / "binary.txt").write_bytes(bytes(range(256)) * 8)
    return src
