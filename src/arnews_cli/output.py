"""The final sink: JSON Lines, JSON, or a terminal view of the article stream."""

from __future__ import annotations

import sys
from collections.abc import Iterator

from arnews_cli.article import Article
from arnews_cli.io import write_json, write_jsonl


def resolve_format(fmt: str) -> str:
    """``auto`` is a table on a terminal and JSON Lines on a pipe or file."""
    if fmt != "auto":
        return fmt
    return "table" if sys.stdout.isatty() else "jsonl"


def write_output(articles: Iterator[Article], fmt: str, debug: bool = False) -> None:
    """Drain ``articles`` into stdout in the chosen format."""
    fmt = resolve_format(fmt)
    out = sys.stdout.buffer
    if fmt == "jsonl":
        write_jsonl(articles, out, flush_each=sys.stdout.isatty())
    elif fmt == "json":
        write_json(articles, out)
    else:
        from arnews_cli.render import render_articles

        render_articles(articles, plain=fmt == "text")
