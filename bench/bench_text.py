#!/usr/bin/env python3
"""Benchmark normalize and tokenize against camel-tools on one large text.

Run from the repository root:  uv run python bench/bench_text.py [--size-mb 50]

It joins the articles of the sibling ``../shared/corpus`` (the repository's test
articles and seed when it is absent), repeated until the text holds at least
``--size-mb`` MB of UTF-8, and prints in one run:

* each normalization step with a camel-tools counterpart, and the chain of them, against
  the camel-tools functions on the same text (MB/s, ratio), checking the outputs are
  identical;
* tokenization: the ``simple`` scheme against ``simple_word_tokenize`` (identical tokens
  checked), the whole tokenize step (sentences too) and the ``news`` scheme;
* start-up: ``arnews --help`` against ``python -c "import click"`` and ``arnews parse`` on
  the seed against ``python -c "import click, regex"`` (medians of repeated runs).

Figures are printed, never asserted. Throughput is CPU time (the machine may be shared):
the best of ``--repeat`` runs for arnews, of two for camel-tools' normalization and of
one for its tokenizer (its per-character loop takes minutes at this size). Start-up
shows wall and CPU medians, with byte-code caches in use as in an installed package
(after one warm-up run).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchlib import arnews, median_ms, table

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SEED = ROOT / "seeds" / "000_9eba523b984c4cfc.txt"


def build_text(size_mb: float) -> tuple[str, str]:
    """The benchmark text and where it came from."""
    paths = sorted(p for p in CORPUS.glob("*/*.txt") if p.parent.name != "raw-encodings")
    origin = f"{CORPUS} ({len(paths)} articles)"
    if not paths:
        paths = [*sorted((ROOT / "tests" / "data" / "corpus").glob("*/*.txt")), SEED]
        origin = f"the repository's test articles and seed ({len(paths)} articles)"
    unit = "\n\n".join(p.read_text(encoding="utf-8") for p in paths) + "\n\n"
    copies = max(1, int(size_mb * 1e6 / len(unit.encode("utf-8"))) + 1)
    return unit * copies, origin


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The least CPU time of ``repeat`` runs (seconds) and the last result.

    CPU time, not wall time: on a shared machine other processes stretch wall time.
    """
    times = []
    result = None
    for _ in range(repeat):
        result = None
        gc.collect()
        start = time.process_time()
        result = fn()
        times.append(time.process_time() - start)
    return min(times), result


def normalize_rows(text: str, mb: float, repeat: int) -> list[tuple[str, ...]]:
    from camel_tools.utils.charmap import CharMapper
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (
        normalize_alef_ar,
        normalize_alef_maksura_ar,
        normalize_teh_marbuta_ar,
        normalize_unicode,
    )

    from arnews_cli.steps.normalize import PROFILES, Options, normalize_text

    none = Options(controls=False, unicode=False, tatweel=False, spaces=False)
    arclean = CharMapper.builtin_mapper("arclean")

    def camel_chain(t: str) -> str:
        t = dediac_ar(normalize_unicode(t))
        return normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(t)))

    cases: list[tuple[str, Options, Callable[[str], str] | None]] = [
        ("unicode+diacritics+alef+maksura+teh",
         Options(controls=False, tatweel=False, spaces=False, diacritics=True, alef=True,
                 maksura=True, teh=True), camel_chain),
        ("unicode (normalize_unicode)", Options(controls=False, tatweel=False, spaces=False),
         normalize_unicode),
        ("arclean (CharMapper arclean)", Options(**{**_fields(none), "arclean": True}), arclean),
        ("diacritics (dediac_ar)", Options(**{**_fields(none), "diacritics": True}), dediac_ar),
        ("alef (normalize_alef_ar)", Options(**{**_fields(none), "alef": True}),
         normalize_alef_ar),
        ("maksura (normalize_alef_maksura_ar)", Options(**{**_fields(none), "maksura": True}),
         normalize_alef_maksura_ar),
        ("teh (normalize_teh_marbuta_ar)", Options(**{**_fields(none), "teh": True}),
         normalize_teh_marbuta_ar),
        ("profile search (all steps)", PROFILES["search"], None),
        ("profile default", PROFILES["default"], None),
    ]
    rows = [("normalize", "arnews MB/s", "camel-tools MB/s", "ratio", "identical")]
    for name, options, camel in cases:
        ours_s, (ours, _) = best(lambda o=options: normalize_text(text, o), repeat)
        if camel is None:
            rows.append((name, f"{mb / ours_s:.1f}", "-", "-", "-"))
            continue
        camel_s, theirs = best(lambda c=camel: c(text), min(repeat, 2))
        rows.append((name, f"{mb / ours_s:.1f}", f"{mb / camel_s:.1f}",
                     f"{camel_s / ours_s:.1f}x", "yes" if ours == theirs else "NO"))
        del theirs
    return rows


def _fields(options: Any) -> dict[str, Any]:
    import dataclasses

    return {f.name: getattr(options, f.name) for f in dataclasses.fields(options)}


def tokenize_rows(text: str, mb: float, repeat: int) -> list[tuple[str, ...]]:
    from camel_tools.tokenizers.word import simple_word_tokenize

    from arnews_cli.article import Article
    from arnews_cli.steps.tokenize import news_spans, simple_spans, tokenize_article

    rows = [("tokenize", "arnews MB/s", "camel-tools MB/s", "ratio", "identical")]
    ours_s, spans = best(lambda: simple_spans(text), repeat)
    camel_s, theirs = best(lambda: simple_word_tokenize(text), 1)
    same = len(spans[0]) == len(theirs) and all(
        text[a:b] == t for a, b, t in zip(spans[0], spans[1], theirs, strict=True)
    )
    rows.append(("simple tokens (simple_word_tokenize)", f"{mb / ours_s:.1f}",
                 f"{mb / camel_s:.1f}", f"{camel_s / ours_s:.1f}x", "yes" if same else "NO"))
    count = len(theirs)
    del theirs, spans
    article = Article(path="bench", text=text)
    step_s, _ = best(lambda: tokenize_article(article), repeat)
    rows.append(("tokenize step (sentences + tokens)", f"{mb / step_s:.1f}",
                 f"{mb / camel_s:.1f}", f"{camel_s / step_s:.1f}x", "-"))
    news_s, _ = best(lambda: news_spans(text), repeat)
    rows.append(("news tokens", f"{mb / news_s:.1f}", "-", "-", "-"))
    rows.append((f"({count:,} simple tokens)", "", "", "", ""))
    return rows


def startup_rows(runs: int) -> list[tuple[str, ...]]:
    py = sys.executable
    commands = [
        ("python -c 'import click'", [py, "-c", "import click"], None, ""),
        ("arnews --help", [*arnews(), "--help"], 0, "+40 ms"),
        ("python -c 'import click, regex'", [py, "-c", "import click, regex"], None, ""),
        ("arnews parse SEED", [*arnews(), "-j1", "parse", str(SEED)], 2, "+60 ms"),
        ("arnews parse SEED normalize tokenize",
         [*arnews(), "-j1", "parse", str(SEED), "normalize", "tokenize"], 2, ""),
    ]
    times = [median_ms(cmd, runs) for _, cmd, _, _ in commands]
    rows = [("command", "wall", "over floor", "cpu", "over floor", "target")]
    for (name, _, floor, target), (wall, cpu) in zip(commands, times, strict=True):
        if floor is None:
            rows.append((name, f"{wall:.0f} ms", "", f"{cpu:.0f} ms", "", ""))
        else:
            fw, fc = times[floor]
            rows.append((name, f"{wall:.0f} ms", f"{wall - fw:+.0f} ms", f"{cpu:.0f} ms",
                         f"{cpu - fc:+.0f} ms", target))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=float, default=50.0)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each arnews timing")
    parser.add_argument("--runs", type=int, default=15, help="start-up runs per command")
    parser.add_argument("--startup-only", action="store_true", help="only time start-up")
    args = parser.parse_args()

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {sys.platform}; "
          f"load average {os.getloadavg()[0]:.1f}")
    table("start-up (median of runs)", startup_rows(args.runs))
    if args.startup_only:
        return
    text, origin = build_text(args.size_mb)
    mb = len(text.encode("utf-8")) / 1e6
    print(f"\ntext: {mb:.1f} MB ({len(text):,} characters) from {origin}")
    table("normalize (one text, one process)", normalize_rows(text, mb, args.repeat))
    table("tokenize (one text, one process)", tokenize_rows(text, mb, args.repeat))


if __name__ == "__main__":
    main()
