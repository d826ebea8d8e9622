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

``--compiled`` also builds the compiled install (mypyc, in ``bench/data/compiled-venv``)
from the current sources and times it beside the interpreted one, the two in turn, so
that the machine's drift touches both alike. The run ends with the speed targets read off
the table for each build. Figures are printed, never asserted.
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
COMPILED_VENV = DATA / "compiled-venv"

SOURCE_CHAIN, WHOLE_CHAIN = "sources chain", "whole chain"
TARGETS = {SOURCE_CHAIN: 2000, WHOLE_CHAIN: 1000}
"""Articles/s each chain should reach with ``-j2`` on a 2-core machine."""
RATIO_TARGET = 1.8
PEAK_TARGET_MB = 200
STARTUP_TARGETS_MS = {"arnews --help": 40, "arnews parse seed": 60}

CHAINS = [
    ("parse", ["parse"]),
    ("parse normalize", ["parse", "normalize"]),
    ("parse tokenize", ["parse", "tokenize"]),
    ("parse extract-quotes", ["parse", "extract-quotes"]),
    (SOURCE_CHAIN, ["parse", "extract-quotes", "summarize-sources"]),
    (WHOLE_CHAIN, ["parse", "normalize", "tokenize", "extract-quotes", "summarize-sources"]),
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


def startup(runs: int, builds: dict[str, list[str]]) -> tuple[list[tuple[str, str]],
                                                              dict[tuple[str, str], float]]:
    """Rows of the start-up table, and each build's time over its floor by command."""
    py = sys.executable
    floor_click = timed([py, "-c", "import click"], runs)
    floor_regex = timed([py, "-c", "import click, regex"], runs)
    rows = [("python -c 'import click'", f"{floor_click:.0f} ms"),
            ("python -c 'import click, regex'", f"{floor_regex:.0f} ms")]
    over: dict[tuple[str, str], float] = {}
    for build, cmd in builds.items():
        label = "" if len(builds) == 1 else f" ({build})"
        for name, args, floor in (("arnews --help", ["--help"], floor_click),
                                  ("arnews parse seed", ["-j1", "parse", str(SEED)], floor_regex)):
            ms = timed([*cmd, *args], runs)
            over[build, name] = ms - floor
            target = STARTUP_TARGETS_MS[name]
            rows.append((name + label, f"{ms:.0f} ms ({ms - floor:+.0f} ms; target +{target})"))
    return rows, over


def compiled_build() -> list[str]:
    """The ``arnews`` command of a compiled install of the current sources (built afresh:
    about a minute; needs a C compiler and the Python headers)."""
    env = {**os.environ, "HATCH_BUILD_HOOKS_ENABLE": "1",
           "UV_PROJECT_ENVIRONMENT": str(COMPILED_VENV)}
    print(f"building the compiled install in {COMPILED_VENV} …", flush=True)
    subprocess.run(["uv", "sync", "--quiet", "--frozen", "--no-dev", "--no-editable", "--python",
                    sys.executable, "--reinstall-package", "arnews-cli"],
                   cwd=ROOT, env=env, check=True)
    cmd = [str(COMPILED_VENV / "bin" / "arnews")]
    version = subprocess.run([*cmd, "-V"], capture_output=True, text=True, check=True).stdout
    if "compiled" not in version:
        raise SystemExit(f"the compiled install is not compiled: {version.strip()}")
    return cmd


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


def run_chain(command: list[str], folder: Path, chain: list[str],
              jobs: int) -> tuple[float, float]:
    """(seconds, peak RSS in MB of the largest process) for one chain over ``folder``."""
    cmd = [*command, "-q", f"-j{jobs}", "--format", "jsonl", chain[0], str(folder), *chain[1:]]
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
    parser.add_argument("--compiled", action="store_true",
                        help="also build the compiled install and time it beside this one")
    args = parser.parse_args()

    from arnews_cli.build import describe_build

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {sys.platform}")
    print(f"build: {describe_build()} ({sys.executable})")
    builds = {"interpreted" if "interpreted" in describe_build() else "compiled": arnews()}
    if args.compiled and "compiled" not in builds:
        builds["compiled"] = compiled_build()
    rows_startup, over = startup(args.runs, builds)
    table("start-up (median)", [("command", "time"), *rows_startup])

    folder, files, nbytes = build_corpus(args.size_mb)
    print(f"\ncorpus: {files:,} articles, {nbytes / 1e6:.1f} MB in {folder}")
    warm_cache(folder)
    have = available_commands()
    jobs_list = [int(j) for j in args.jobs.split(",")]
    several = len(builds) > 1
    rows = [("chain", *(("build",) if several else ()), "-j", "seconds", "articles/s", "MB/s",
             "peak MB", "vs -j1")]
    # (chain, build, jobs) -> (seconds, peak MB)
    best: dict[tuple[str, str, int], tuple[float, float]] = {}
    for name, chain in CHAINS:
        if not set(chain) <= have:
            continue
        for _ in range(max(args.repeat, 1)):
            for build, cmd in builds.items():
                for jobs in jobs_list:
                    seconds, peak = run_chain(cmd, folder, chain, jobs)
                    old = best.get((name, build, jobs), (seconds, peak))
                    best[name, build, jobs] = (min(seconds, old[0]), max(peak, old[1]))
        for build in builds:
            base = best[name, build, jobs_list[0]][0]
            for jobs in jobs_list:
                seconds, peak = best[name, build, jobs]
                rows.append((name, *((build,) if several else ()), str(jobs), f"{seconds:.1f}",
                             f"{files / seconds:,.0f}", f"{nbytes / 1e6 / seconds:.1f}",
                             f"{peak:.0f}", f"{base / seconds:.2f}x"))
    title = "throughput (output to /dev/null)"
    if args.repeat > 1:
        title += f", fastest of {args.repeat} runs each"
    table(title, rows)

    seconds, size = camel_baseline(folder, min(args.size_mb, 20))
    mbps = size / 1e6 / seconds
    print(f"\nbaseline: camel-tools normalize + simple_word_tokenize, one process: "
          f"{mbps:.1f} MB/s over {size / 1e6:.0f} MB")
    for (name, build, jobs), (seconds, _) in best.items():
        if name in ("parse normalize", "parse tokenize", WHOLE_CHAIN):
            label = f"{name} ({build}, -j{jobs})" if several else f"{name} (-j{jobs})"
            print(f"  {label} vs baseline: {nbytes / 1e6 / seconds / mbps:.2f}x")
    if 1 in jobs_list and 2 in jobs_list:
        table("targets (2 cores, -j2)", targets(best, over, builds, files))


def targets(best: dict[tuple[str, str, int], tuple[float, float]],
            over: dict[tuple[str, str], float], builds: dict[str, list[str]],
            files: int) -> list[tuple[str, ...]]:
    """Each speed target (the constants above), and what each build reached."""
    def mark(ok: bool) -> str:
        return "met" if ok else "short"

    rows: list[tuple[str, ...]] = [("target", *builds)]
    for chain, wanted in TARGETS.items():
        got = [files / best[chain, b, 2][0] for b in builds if (chain, b, 2) in best]
        if len(got) == len(builds):
            rows.append((f"{chain}: {wanted:,} articles/s",
                         *(f"{g:,.0f} ({mark(g >= wanted)})" for g in got)))
    cells = []
    for b in builds:
        ratios = {c: best[c, b, 1][0] / best[c, b, 2][0]
                  for c, bb, j in best if bb == b and j == 1}
        low = min(ratios, key=ratios.__getitem__)
        cells.append(f"{ratios[low]:.2f}x, {low} ({mark(ratios[low] >= RATIO_TARGET)}); "
                     f"{sum(r >= RATIO_TARGET for r in ratios.values())} of {len(ratios)} met")
    rows.append((f"-j2 at least {RATIO_TARGET}x -j1 (lowest)", *cells))
    peaks = [max(p for (_, bb, _), (_, p) in best.items() if bb == b) for b in builds]
    rows.append((f"peak memory under {PEAK_TARGET_MB} MB",
                 *(f"{p:.0f} MB ({mark(p < PEAK_TARGET_MB)})" for p in peaks)))
    for name, limit in STARTUP_TARGETS_MS.items():
        rows.append((f"{name}: within +{limit} ms",
                     *(f"{over[b, name]:+.0f} ms ({mark(over[b, name] <= limit)})"
                       for b in builds)))
    return rows

if __name__ == "__main__":
    main()
