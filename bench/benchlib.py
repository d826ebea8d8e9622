"""What the benchmark scripts share: printing a table of figures."""

from __future__ import annotations


def table(title: str, rows: list[tuple[str, ...]]) -> None:
    """Print ``rows`` (the first is the header) as aligned columns under ``title``."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    print(f"\n{title}")
    for n, row in enumerate(rows):
        print("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))
