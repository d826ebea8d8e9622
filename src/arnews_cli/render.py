"""Terminal views of articles: rich tables (``--format table``) or plain text (``text``).

Each part of the view is a *section*: a function from an article to lines (plain) or a
rich renderable (table); steps that add fields add a section here. Terminals differ in
how they show right-to-left text: the plain view puts one field per line, which reads
correctly even where the terminal has no bidi support.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from arnews_cli.article import Article

PREVIEW = 90

PlainSection = Callable[[Article], list[str]]
RichSection = Callable[[Article], Any]


def preview(text: str, width: int = PREVIEW) -> str:
    """One line of ``text``, shortened with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _blocks_plain(article: Article) -> list[str]:
    return [f"  {b.kind:<11} {b.start:>6}-{b.end:<6} {preview(b.text)}" for b in article.blocks]


def _blocks_rich(article: Article) -> Any:
    from rich.table import Table

    table = Table(title="blocks", title_justify="left", show_edge=False, expand=False)
    table.add_column("kind", style="cyan", no_wrap=True)
    table.add_column("span", justify="right", style="dim", no_wrap=True)
    table.add_column("text", overflow="fold")
    for b in article.blocks:
        style = "bold" if b.kind in ("headline", "subheading") else None
        table.add_row(b.kind, f"{b.start}-{b.end}", preview(b.text, 200), style=style)
    return table


PLAIN_SECTIONS: list[PlainSection] = [_blocks_plain]
RICH_SECTIONS: list[RichSection] = [_blocks_rich]


def _title(article: Article) -> str:
    head = next((b.text for b in article.blocks if b.kind == "headline"), "")
    return f"{article.path}  [{article.encoding}, {len(article.text):,} chars]  {preview(head, 60)}"


def render_articles(articles: Iterable[Article], plain: bool = False) -> int:
    """Write the view of each article to stdout as it arrives; return how many."""
    if plain:
        return _render_plain(articles)
    from rich.console import Console
    from rich.rule import Rule

    console = Console(highlight=False)
    n = 0
    for article in articles:
        console.print(Rule(_title(article), align="left", style="blue"))
        for section in RICH_SECTIONS:
            part = section(article)
            if part is not None:
                console.print(part)
        n += 1
    return n


def _render_plain(articles: Iterable[Article]) -> int:
    import sys

    n = 0
    for article in articles:
        lines: Iterator[str] = iter(["== " + _title(article)])
        for section in PLAIN_SECTIONS:
            lines = _chain(lines, section(article))
        sys.stdout.write("\n".join(lines) + "\n\n")
        n += 1
    sys.stdout.flush()
    return n


def _chain(a: Iterator[str], b: list[str]) -> Iterator[str]:
    yield from a
    yield from b
