"""Helpers for the source tests: quotes built by hand from gold annotations, and scoring.

The golden tests feed summarize-sources with the gold quotes (speakers located in the
text), so they measure the source step alone; the same overlap rule as the gold
guidelines pairs predicted and gold sources.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Any

from arnews_cli.article import Article

_DIAC = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def norm(s: str) -> list[str]:
    s = _DIAC.sub("", unicodedata.normalize("NFKC", s or ""))
    s = re.sub("[إأآٱ]", "ا", s).replace("ى", "ي").replace("ة", "ه")
    return re.findall(r"\w+", s)


def overlap(a: str, b: str) -> float:
    ta, tb = norm(a), norm(b)
    if not ta or not tb:
        return 0.0
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)

    def same(x: str, y: str) -> bool:
        return x == y or any(
            p.startswith("و") and len(p) > 3 and p[1:] == q for p, q in ((x, y), (y, x))
        )

    return sum(1 for t in short if any(same(t, u) for u in long_)) / len(short)


def span(text: str, phrase: str | None, near: int) -> dict[str, Any] | None:
    """The occurrence of ``phrase`` in ``text`` nearest to offset ``near``."""
    if not phrase:
        return None
    hits = [m.start() for m in re.finditer(re.escape(phrase), text)]
    if not hits:
        return None
    start = min(hits, key=lambda h: abs(h - near))
    return {"text": phrase, "start": start, "end": start + len(phrase), "resolved": False}


def with_gold_quotes(article: Article, gold: dict[str, Any]) -> Article:
    """``article`` with ``quotes`` made from the gold quote annotations."""
    quotes = []
    for q in gold["quotes"]:
        at = max(article.text.find(q["content"]), 0)
        via = span(article.text, q.get("via"), at)
        quotes.append({
            "kind": q["kind"], "text": q["content"], "start": at, "end": at + len(q["content"]),
            "cue": {"text": q["cue"], "start": at, "end": at},
            "speaker": span(article.text, q["speaker"], at),
            "via": [via] if via else [],
        })  # fmt: skip
    return dataclasses.replace(article, quotes=quotes)


def match(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[tuple[dict, dict]]:
    """Gold and predicted sources paired one-to-one by name overlap (>= 0.5)."""
    used: set[int] = set()
    pairs = []
    for g in gold:
        best, best_ov = None, 0.5
        for i, p in enumerate(pred):
            if i not in used and (ov := overlap(p["name"], g["name"])) >= best_ov:
                best, best_ov = i, ov
        if best is not None:
            used.add(best)
            pairs.append((g, pred[best]))
    return pairs
