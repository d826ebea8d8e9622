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
from arnews_cli.pipeline import shown

PREVIEW = 90

PlainSection = Callable[[Article], list[str]]
RichSection = Callable[[Article], Any]


def console(stderr: bool = False) -> Any:
    """A rich console for article text: no markup (``[caption]`` in an article is text,
    not a style tag) and a closed pipe raised as :class:`BrokenPipeError`, which the CLI
    ends quietly (rich's own handler exits with status 1)."""
    from rich.console import Console

    class _ArticleConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

        def render_str(self, text: str, *args: Any, **kwargs: Any) -> Any:
            # escape sequences in an article (ESC ] 0 ; … BEL) must not reach the terminal
            return super().render_str(shown(text), *args, **kwargs)

    return _ArticleConsole(highlight=False, markup=False, stderr=stderr)


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
    from rich.rule import Rule

    out = console()
    n = 0
    for article in articles:
        out.print(Rule(_title(article), align="left", style="blue"))
        for section in RICH_SECTIONS:
            part = section(article)
            if part is not None:
                out.print(part)
        n += 1
    return n


def _render_plain(articles: Iterable[Article]) -> int:
    import sys

    n = 0
    for article in articles:
        lines: Iterator[str] = iter(["== " + _title(article)])
        for section in PLAIN_SECTIONS:
            lines = _chain(lines, section(article))
        sys.stdout.write("\n".join(map(shown, lines)) + "\n\n")
        n += 1
    sys.stdout.flush()
    return n


def _chain(a: Iterator[str], b: list[str]) -> Iterator[str]:
    yield from a
    yield from b


# --- normalize / tokenize: what was normalized, how many sentences and tokens ---


def _text_facts(article: Article) -> list[tuple[str, str]]:
    facts = []
    norm = article.normalized
    if isinstance(norm, dict):
        steps = ", ".join(norm.get("steps") or []) or "none"
        facts.append(("normalized", f"{len(norm.get('text', '')):,} chars (was "
                      f"{len(article.text):,}) by {steps}"))
    if isinstance(article.sentences, list):
        facts.append(("sentences", f"{len(article.sentences):,}"))
    tokens = article.tokens
    if isinstance(tokens, dict):
        note = f" ({tokens.get('scheme', '?')} on {tokens.get('on', 'text')}"
        note += ", with segments)" if "segments" in tokens else ")"
        facts.append(("tokens", f"{len(tokens.get('start') or ()):,}{note}"))
    return facts


def _text_plain(article: Article) -> list[str]:
    return [f"  {name:<11} {value}" for name, value in _text_facts(article)]


def _text_rich(article: Article) -> Any:
    facts = _text_facts(article)
    if not facts:
        return None
    from rich.table import Table

    table = Table(title="text", title_justify="left", show_edge=False, show_header=False)
    table.add_column("what", style="cyan", no_wrap=True)
    table.add_column("value", overflow="fold")
    for name, value in facts:
        table.add_row(name, value)
    return table


PLAIN_SECTIONS.append(_text_plain)
RICH_SECTIONS.append(_text_rich)


# --- extract-quotes: one entry per quote, its cue and speaker highlighted ---


def _speaker_label(q: dict[str, Any]) -> str:
    spk = q.get("speaker")
    if not spk:
        return "(none)"
    return str(spk.get("text", "")) + (" (resolved)" if spk.get("resolved") else "")


def _quotes_plain(article: Article) -> list[str]:
    """One field per line, so right-to-left text reads in order on any terminal."""
    lines = []
    for n, q in enumerate(article.quotes or (), 1):
        lines.append(f"  quote {n:<5} {q.get('kind', ''):<9} {q.get('start')}-{q.get('end')}")
        lines.append(f"    cue       {q.get('cue', {}).get('text', '')}")
        lines.append(f"    speaker   {_speaker_label(q)}")
        for v in q.get("via") or ():
            lines.append(f"    via       {v.get('text', '')}")
        lines.append(f"    text      {preview(str(q.get('text', '')), 200)}")
    return lines


def _quotes_rich(article: Article) -> Any:
    if not article.quotes:
        return None
    from rich.table import Table
    from rich.text import Text

    table = Table(title="quotes", title_justify="left", show_edge=False, expand=False)
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("speaker", justify="right", overflow="fold")
    table.add_column("cue", justify="right", no_wrap=True)
    table.add_column("quote", justify="right", overflow="fold")
    for n, q in enumerate(article.quotes, 1):
        spk = q.get("speaker")
        speaker = Text(_speaker_label(q), style="italic cyan" if spk and spk.get("resolved")
                       else "bold cyan" if spk else "dim")
        if q.get("via"):
            speaker.append(" via " + ", ".join(v.get("text", "") for v in q["via"]), "magenta")
        table.add_row(str(n), str(q.get("kind", "")), speaker,
                      Text(str(q.get("cue", {}).get("text", "")), style="bold yellow"),
                      preview(str(q.get("text", "")), 160))
    return table


PLAIN_SECTIONS.append(_quotes_plain)
RICH_SECTIONS.append(_quotes_rich)


# --- summarize-sources: per-article sources and the collection roll-up ---


def _sources_plain(article: Article) -> list[str]:
    lines = []
    for s in article.sources or ():
        count = "?" if s.get("count") is None else s.get("count")
        via = f" via {', '.join(s['via'])}" if s.get("via") else ""
        reason = " (anonymity explained)" if s.get("anonymity_reason") else ""
        lines.append(
            f"  source      {s.get('type', ''):<11} x{count:<3} {','.join(s.get('roles') or [])}"
            f"  {s.get('name', '')}{via}{reason}"
        )
    return lines


def _sources_rich(article: Article) -> Any:
    if not article.sources:
        return None
    from rich.table import Table

    table = Table(title="sources", title_justify="left", show_edge=False, expand=False)
    for column in ("name", "type", "anon", "count", "roles", "quotes", "via"):
        table.add_column(column, overflow="fold")
    for s in article.sources:
        table.add_row(
            str(s.get("name", "")),
            str(s.get("type", "")),
            "yes" + (" (reason given)" if s.get("anonymity_reason") else "")
            if s.get("anonymous") else "",
            "?" if s.get("count") is None else str(s.get("count")),
            ", ".join(s.get("roles") or []),
            str(s.get("quotes", 0)),
            ", ".join(s.get("via") or []),
        )
    return table


PLAIN_SECTIONS.append(_sources_plain)
RICH_SECTIONS.append(_sources_rich)


def render_source_rollup(data: dict[str, Any], plain: bool = False, err: bool = False) -> None:
    """Show a sources roll-up (``arnews/rollup/1`` object) as tables or plain lines."""
    sections: list[tuple[str, list[str], list[list[str]]]] = [
        ("sources roll-up", ["figure", "value"], [
            ["articles", str(data["articles"])],
            ["articles with sources", str(data["articles_with_sources"])],
            ["share citing anonymous sources", f"{data['share_citing_anonymous']:.1%}"],
            ["share relying only on anonymous sources", f"{data['share_only_anonymous']:.1%}"],
            ["anonymity explained (of those citing anonymous)",
             "-" if data["share_anonymity_explained"] is None
             else f"{data['share_anonymity_explained']:.1%}"],
            *[[f"sources of type {t}", str(n)] for t, n in data["sources_by_type"].items()],
        ]),
        ("most cited sources", ["source", "type", "articles"],
         [[r["name"], r["type"], str(r["articles"])] for r in data["most_cited"]]),
        ("agencies by share of articles", ["agency", "articles", "share"],
         [[r["name"], str(r["articles"]), f"{r['share']:.1%}"] for r in data["agencies"]]),
        ("did not respond", ["body", "articles"],
         [[r["name"], str(r["articles"])] for r in data["no_response"]]),
        ("per credit outlet", ["outlet", "articles", "sources", "anonymous", "citing anonymous"],
         [[r["name"], str(r["articles"]), str(r["sources"]), str(r["anonymous_sources"]),
           f"{r['share_articles_citing_anonymous']:.1%}"] for r in data["credit"]]),
    ]  # fmt: skip
    if plain:
        import sys

        out = sys.stderr if err else sys.stdout
        for title, header, rows in sections:
            if rows:
                out.write(f"== {title}\n  " + " | ".join(header) + "\n")
                out.write("".join("  " + " | ".join(map(shown, r)) + "\n" for r in rows) + "\n")
        out.flush()
        return
    from rich.table import Table

    out = console(stderr=err)
    for title, header, rows in sections:
        if not rows:
            continue
        table = Table(title=title, title_justify="left", show_edge=False, expand=False)
        for i, column in enumerate(header):
            table.add_column(column, justify="right" if i else "left", overflow="fold")
        for row in rows:
            table.add_row(*row)
        out.print(table)
