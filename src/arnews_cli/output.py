"""The final sink: JSON Lines, one JSON array, or a terminal view of the records."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator

import orjson

from arnews_cli.article import Article


def resolve_format(fmt: str) -> str:
    """``auto`` is a table on a terminal and JSON Lines on a pipe or file."""
    if fmt != "auto":
        return fmt
    return "table" if sys.stdout.isatty() else "jsonl"


def write_output(records: Iterable[bytes], fmt: str) -> int:
    """Drain serialised records (JSON Lines, newline included) into stdout; return the count."""
    fmt = resolve_format(fmt)
    out = sys.stdout.buffer
    n = 0
    if fmt == "jsonl":
        tty = sys.stdout.isatty()
        for n, record in enumerate(records, 1):  # noqa: B007 - n is the count
            out.write(record)
            if tty:
                out.flush()
    elif fmt == "json":
        out.write(b"[")
        for n, record in enumerate(records, 1):  # noqa: B007
            out.write(b",\n" if n > 1 else b"\n")
            out.write(record.rstrip(b"\n"))
        out.write(b"\n]\n" if n else b"]\n")
    else:
        from arnews_cli.render import render_articles

        n = render_articles(_articles(records), plain=fmt == "text")
    out.flush()
    return n


def _articles(records: Iterable[bytes]) -> Iterator[Article]:
    for record in records:
        yield Article.from_dict(orjson.loads(record))
