"""Golden tests: extract-quotes over the annotated articles of tests/data/gold.

Each gold file lists the quotes a careful reader finds (kind, cue, speaker, the first words
of the content). A predicted quote finds a gold quote when its text holds the gold content
words (compared after folding letters and dropping punctuation), one to one, shortest
first; a predicted quote whose text lies inside a found one is not counted as extra. The
speaker is right when at least half the words of the shorter phrase occur in the other,
the cue when the gold cue (without its و) occurs in the predicted one. The figures over
all files must stay above the floors below: new rules must not make the whole worse.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import regex

from arnews_cli.steps.parse import parse_file
from arnews_cli.steps.quotes import find_quotes

from .conftest import DATA

GOLD = sorted((DATA / "gold").glob("*.json"))

FLOOR_F1 = 0.85
FLOOR_SPEAKER = 0.86
FLOOR_CUE = 0.94

_DIACRITICS = regex.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_WORD = regex.compile(r"\w+")


def norm(text: str | None) -> str:
    text = _DIACRITICS.sub("", unicodedata.normalize("NFKC", text or ""))
    text = regex.sub("[إأآٱ]", "ا", text).replace("ى", "ي").replace("ة", "ه")
    return " ".join(_WORD.findall(text))


def same_word(a: str, b: str) -> bool:
    return a == b or any(x.startswith("و") and len(x) > 3 and x[1:] == y
                         for x, y in ((a, b), (b, a)))


def overlap(a: str | None, b: str | None) -> float:
    ta, tb = norm(a).split(), norm(b).split()
    if not ta or not tb:
        return 0.0
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    return sum(any(same_word(t, u) for u in long_) for t in short) / len(short)


def score(gold: dict[str, Any], found: list[dict[str, Any]]) -> dict[str, int]:
    used: set[int] = set()
    tp = speaker_ok = cue_ok = 0
    for g in gold["quotes"]:
        anchor = norm(g["content"])
        best = None
        for i, q in enumerate(found):
            if i not in used and anchor and anchor in norm(q["text"]):
                if best is None or len(q["text"]) < len(found[best]["text"]):
                    best = i
        if best is None:
            continue
        used.add(best)
        q = found[best]
        tp += 1
        said = q["speaker"]["text"] if q["speaker"] else ""
        if g["speaker"] is None:
            speaker_ok += not said
        else:
            speaker_ok += overlap(said, g["speaker"]) >= 0.5
        gold_cue = norm(g["cue"]).removeprefix("و")
        cue_ok += gold_cue in norm(q["cue"]["text"]) or g["cue"] == q["cue"]["text"]
    matched = [norm(found[i]["text"]) for i in used]
    extra = sum(1 for i, q in enumerate(found)
                if i not in used and not any(norm(q["text"]) in m for m in matched))
    return {"tp": tp, "pred": tp + extra, "gold": len(gold["quotes"]),
            "speaker": speaker_ok, "cue": cue_ok}


def run_gold(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    gold = json.loads(path.read_text(encoding="utf-8"))
    article = parse_file(str(DATA / gold["file"]))
    found = find_quotes(article)
    for q in found:
        for span in (q, q["cue"], q["speaker"], *q["via"]):
            if span is not None:
                assert article.text[span["start"] : span["end"]] == span["text"]
    return gold, found


@pytest.fixture(scope="module")
def totals() -> dict[str, int]:
    if not GOLD:
        pytest.skip("no gold annotations under tests/data/gold")
    tot = {"tp": 0, "pred": 0, "gold": 0, "speaker": 0, "cue": 0}
    for path in GOLD:
        gold, found = run_gold(path)
        for key, value in score(gold, found).items():
            tot[key] += value
    return tot


def test_quote_f1_floor(totals: dict[str, int]) -> None:
    precision = totals["tp"] / max(totals["pred"], 1)
    recall = totals["tp"] / max(totals["gold"], 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    assert f1 >= FLOOR_F1, f"quote F1 {f1:.3f} (P {precision:.3f}, R {recall:.3f})"


def test_speaker_floor(totals: dict[str, int]) -> None:
    accuracy = totals["speaker"] / max(totals["tp"], 1)
    assert accuracy >= FLOOR_SPEAKER, f"speaker accuracy {accuracy:.3f}"


def test_cue_floor(totals: dict[str, int]) -> None:
    accuracy = totals["cue"] / max(totals["tp"], 1)
    assert accuracy >= FLOOR_CUE, f"cue accuracy {accuracy:.3f}"


@pytest.mark.parametrize("path", GOLD, ids=[p.stem for p in GOLD])
def test_each_gold_article_finds_some_quotes(path: Path) -> None:
    """No annotated article is missed wholesale."""
    gold, found = run_gold(path)
    if gold["quotes"]:
        result = score(gold, found)
        assert result["tp"] >= len(gold["quotes"]) // 3, result


def test_scorer_on_a_hand_made_case() -> None:
    gold = {"quotes": [
        {"kind": "indirect", "cue": "وقال", "speaker": "الوزير", "content": "إن المحادثات"},
        {"kind": "direct", "cue": "وأضاف", "speaker": "الوزير", "content": "لن نتراجع"},
    ]}
    found = [
        {"text": "إن المحادثات ستستمر", "cue": {"text": "وقال"},
         "speaker": {"text": "وزير الخارجية الوزير"}},
        {"text": "المحادثات", "cue": {"text": "وقال"}, "speaker": None},
        {"text": "شيء آخر", "cue": {"text": "ذكرت"}, "speaker": None},
    ]
    assert score(gold, found) == {"tp": 1, "pred": 2, "gold": 2, "speaker": 1, "cue": 1}
