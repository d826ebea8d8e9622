"""What the benchmark scripts share: the command to time, timing it, a table of figures."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def arnews() -> list[str]:
    """The ``arnews`` command of the running environment."""
    exe = Path(sys.executable).with_name("arnews")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "arnews_cli"]


def median_ms(cmd: list[str], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of ``cmd``, in ms."""
    import resource

    # As installed: byte-code caches written and used (this environment may disable them).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                       check=True)
        wall.append((time.perf_counter() - start) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def table(title: str, rows: list[tuple[str, ...]]) -> None:
    """Print ``rows`` (the first is the header) as aligned columns under ``title``."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    print(f"\n{title}")
    for n, row in enumerate(rows):
        print("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))
