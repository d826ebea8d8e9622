#!/usr/bin/env python3
"""Benchmark the arnews chain end to end and print a table of figures.

Run from the repository root:  uv run python bench/bench_chain.py [--size-mb 100]

It builds a folder of real articles (the sibling ``../shared/corpus`` repeated until it
holds at least ``--size-mb`` MB; the test articles under ``tests/data`` when the corpus is
absent) and measures, in one run:

* start-up: ``arnews --help`` against ``python -c "import click"`` and ``arnews parse`` on
  the seed against ``python -c "import click, regex"`` (medians of repeated runs);
* throughput (articles/s, MB/s) and peak memory of each chain with ``-j1`` and ``-j2``;
* the same text work done with camel-tools functions, as the baseline for ratios.

Figures are printed, never asserted: speed targets are read off this table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchlib import arnews, median_ms, table

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SEED = ROOT / "seeds" / "000_9eba523b984c4cfc.txt"
DATA = ROOT / "bench" / "data"

CHAINS = [
    ("parse", ["parse"]),
    ("parse normalize", ["parse", "normalize"]),
    ("parse tokenize", ["parse", "tokenize"]),
    ("parse extract-quotes", ["parse", "extract-quotes"]),
    ("sources chain", ["parse", "extract-quotes", "summarize-sources"]),
    ("whole chain", ["parse", "normalize", "tokenize", "extract-quotes", "summarize-sources"]),
]


def build_corpus(size_mb: float) -> tuple[Path, int, int]:
    """A folder of article copies holding at least ``size_mb`` MB; (folder, files, bytes)."""
    sources = sorted(p for p in CORPUS.glob("*/*.txt") if p.parent.name != "raw-encodings")
    if not sources:
        sources = sorted((ROOT / "tests" / "data" / "corpus").glob("*/*.txt"))
    target = DATA / f"corpus-{size_mb:g}mb"
    marker = target / ".complete"
    if not marker.exists():
        shutil.rmtree(target, ignore_errors=True)
        total, copy = 0, 0
        while total < size_mb * 1e6:
            folder = target / f"copy{copy:03}"
            folder.mkdir(parents=True)
            for path in sources:
                data = path.read_bytes()
                (folder / f"{path.parent.name}-{path.name}").write_bytes(data)
                total += len(data)
            copy += 1
        marker.write_text("ok")
    files = list(target.rglob("*.txt"))
    return target, len(files), sum(p.stat().st_size for p in files)


def timed(cmd: list[str], runs: int) -> float:
    """Median wall time of ``cmd`` in milliseconds, byte-code caches in use."""
    return median_ms(cmd, runs)[0]


def startup(runs: int) -> list[tuple[str, str]]:
    py = sys.executable
    floor_click = timed([py, "-c", "import click"], runs)
    floor_regex = timed([py, "-c", "import click, regex"], runs)
    help_ms = timed([*arnews(), "--help"], runs)
    parse_ms = timed([*arnews(), "-j1", "parse", str(SEED)], runs)
    return [
        ("python -c 'import click'", f"{floor_click:.0f} ms"),
        ("arnews --help", f"{help_ms:.0f} ms ({help_ms - floor_click:+.0f} ms; target +40)"),
        ("python -c 'import click, regex'", f"{floor_regex:.0f} ms"),
        ("arnews parse seed", f"{parse_ms:.0f} ms ({parse_ms - floor_regex:+.0f} ms; target +60)"),
    ]


def available_commands() -> set[str]:
    from arnews_cli.cli import cli

    return set(cli.commands)


# Runs a command and reports the peak RSS of its largest process (workers included):
# RUSAGE_CHILDREN of a fresh process covers this one run only.
_PEAK = (
    "import resource, subprocess, sys; "
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(code)"
)


def run_chain(folder: Path, chain: list[str], jobs: int) -> tuple[float, float]:
    """(seconds, peak RSS in MB of the largest process) for one chain over ``folder``."""
    cmd = [*arnews(), "-q", f"-j{jobs}", "--format", "jsonl", chain[0], str(folder), *chain[1:]]
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK, *cmd], stderr=subprocess.PIPE)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode()[-500:]}")
    peak_kb = int(done.stderr.decode().split()[-1])
    return seconds, peak_kb / 1024


def warm_cache(folder: Path) -> None:
    """Read every article once, so that the first chain timed does not pay for the disk."""
    for path in folder.rglob("*.txt"):
        path.read_bytes()


def camel_baseline(folder: Path, limit_mb: float) -> tuple[float, int]:
    """Seconds for camel-tools to normalize and word-tokenize the same text (one process)."""
    from camel_tools.tokenizers.word import simple_word_tokenize
    from camel_tools.utils.charmap import CharMapper
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (
        normalize_alef_ar,
        normalize_alef_maksura_ar,
        normalize_teh_marbuta_ar,
        normalize_unicode,
    )

    arclean = CharMapper.builtin_mapper("arclean")
    texts, size = [], 0
    for path in sorted(folder.rglob("*.txt")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        texts.append(text)
        size += len(text.encode())
        if size >= limit_mb * 1e6:
            break
    start = time.perf_counter()
    for text in texts:
        t = arclean(normalize_unicode(text))
        t = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(t))))
        simple_word_tokenize(t)
    return time.perf_counter() - start, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=float, default=100.0)
    parser.add_argument("--runs", type=int, default=10, help="start-up runs per command")
    parser.add_argument("--jobs", default="1,2", help="comma-separated -j values")
    parser.add_argument("--repeat", type=int, default=1,
                        help="time each chain this many times, the -j values in turn, and "
                        "keep the fastest (a shared machine's speed drifts)")
    args = parser.parse_args()

    from arnews_cli.build import describe_build

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {sys.platform}")
    print(f"build: {describe_build()} ({sys.executable})")
    table("start-up (median)", [("command", "time"), *startup(args.runs)])

    folder, files, nbytes = build_corpus(args.size_mb)
    print(f"\ncorpus: {files:,} articles, {nbytes / 1e6:.1f} MB in {folder}")
    warm_cache(folder)
    have = available_commands()
    rows = [("chain", "-j", "seconds", "articles/s", "MB/s", "peak MB", "vs -j1")]
    for name, chain in CHAINS:
        if not set(chain) <= have:
            continue
        jobs_list = [int(j) for j in args.jobs.split(",")]
        best: dict[int, tuple[float, float]] = {}
        for _ in range(max(args.repeat, 1)):
            for jobs in jobs_list:
                seconds, peak = run_chain(folder, chain, jobs)
                old_seconds, old_peak = best.get(jobs, (seconds, peak))
                best[jobs] = (min(seconds, old_seconds), max(peak, old_peak))
        base = best[jobs_list[0]][0]
        for jobs in jobs_list:
            seconds, peak = best[jobs]
            rows.append((name, str(jobs), f"{seconds:.1f}", f"{files / seconds:,.0f}",
                         f"{nbytes / 1e6 / seconds:.1f}", f"{peak:.0f}", f"{base / seconds:.2f}x"))
    title = "throughput (output to /dev/null)"
    if args.repeat > 1:
        title += f", fastest of {args.repeat} runs each"
    table(title, rows)

    seconds, size = camel_baseline(folder, min(args.size_mb, 20))
    mbps = size / 1e6 / seconds
    print(f"\nbaseline: camel-tools normalize + simple_word_tokenize, one process: "
          f"{mbps:.1f} MB/s over {size / 1e6:.0f} MB")
    for name, jobs, _, _, speed, _, _ in rows[1:]:
        if name in ("parse normalize", "parse tokenize", "whole chain"):
            print(f"  {name} (-j{jobs}) vs baseline: {float(speed) / mbps:.2f}x")


if __name__ == "__main__":
    main()
