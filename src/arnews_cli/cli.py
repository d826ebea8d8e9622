"""The ``arnews`` command: a chain of subcommands over a stream of articles.

Each subcommand returns a function over the article stream; the result callback folds
them in order and writes the stream once (Click's ``chain=True`` processor pattern).
Subcommand bodies import their step lazily so ``arnews --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import click

from arnews_cli import __version__
from arnews_cli.article import Article
from arnews_cli.errors import ArnewsError
from arnews_cli.pipeline import Failures, Step, compose, map_articles

FORMATS = ("auto", "jsonl", "json", "table", "text")
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@dataclass
class Session:
    """What the group's options decide for every subcommand of one run."""

    fmt: str
    quiet: bool
    debug: bool
    failures: Failures
    finishers: list[Callable[[Session], None]] = field(default_factory=list)

    def warn(self, message: str) -> None:
        click.echo(f"arnews: {message}", err=True)


@dataclass(frozen=True)
class Source:
    """The first command of a chain: where the articles come from."""

    read: Callable[[], Iterator[Article]]


class ArnewsGroup(click.Group):
    """A chaining group whose commands are listed in pipeline order, not alphabetically."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


class PathsCommand(click.Command):
    """A command taking ``PATH...`` that stops at the next subcommand's name.

    In a chain, ``arnews parse a.txt b/ normalize`` must hand ``normalize`` back to the
    group; a file really named like a command can be written ``./normalize``.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        names = set(ctx.parent.command.commands) if ctx.parent else set()  # type: ignore[attr-defined]
        cut = next((i for i, a in enumerate(args) if a in names), len(args))
        super().parse_args(ctx, args[:cut])
        ctx.args = [*ctx.args, *args[cut:]]
        return ctx.args


def session() -> Session:
    obj = click.get_current_context().find_root().obj
    assert isinstance(obj, Session)
    return obj


def article_step(name: str, fn: Callable[[Article], Article]) -> Step:
    """Wrap a per-article function so one article's failure is reported, not fatal."""
    return map_articles(fn, name, session().failures)


@click.group(chain=True, cls=ArnewsGroup, context_settings=CONTEXT)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="auto",
    show_default=True,
    help="Output: JSON Lines, one JSON array, a rich table or plain text. "
    "'auto' is a table on a terminal and JSON Lines otherwise.",
)
@click.option("-q", "--quiet/--no-quiet", default=False, help="No progress or warnings on stderr.")
@click.option(
    "--debug/--no-debug", default=False, help="Show tracebacks instead of one-line errors."
)
@click.version_option(__version__, "-V", "--version", prog_name="arnews")
@click.pass_context
def cli(ctx: click.Context, fmt: str, quiet: bool, debug: bool) -> None:
    """Analyse Arabic news articles: who said what, and on whose word.

    Subcommands chain like a pipeline. A chain that starts with `parse` reads article
    files; any other chain reads JSON Lines articles from stdin, so the same work can
    run in one process or across several.

    \b
    Examples:
      arnews parse seeds/ extract-quotes summarize-sources
      arnews parse corpus/ | arnews normalize | arnews tokenize > out.jsonl
      arnews --format jsonl parse article.txt normalize tokenize

    Exit status: 0 all inputs processed, 1 some input failed, 2 usage error.
    """
    ctx.obj = Session(fmt, quiet, debug, Failures(report=_report, debug=debug))


def _report(message: str) -> None:
    click.echo(f"arnews: {message}", err=True)


@cli.result_callback()
@click.pass_context
def run(ctx: click.Context, /, results: Sequence[Source | Step], **_: Any) -> None:
    """Fold the chain and write the stream once."""
    from arnews_cli.io import read_records
    from arnews_cli.output import write_output

    s: Session = ctx.obj
    if any(isinstance(r, Source) for r in results[1:]):
        raise click.UsageError("'parse' can only be the first command of a chain.")
    steps = [r for r in results if not isinstance(r, Source)]
    if results and isinstance(results[0], Source):
        source = results[0].read()
    else:
        stdin = sys.stdin.buffer
        if sys.stdin.isatty() and not s.quiet:
            s.warn(
                "reading JSON Lines articles from stdin (Ctrl-D to end; 'arnews parse' reads files)"
            )
        source = read_records(stdin, s.failures)
    try:
        write_output(compose(steps, source), s.fmt, s.debug)
        for finish in s.finishers:
            finish(s)
    except BrokenPipeError:
        _silence_stdout()
        ctx.exit(1 if s.failures.count else 0)
    except KeyboardInterrupt:
        s.warn("interrupted")
        ctx.exit(130)
    except ArnewsError as exc:
        if s.debug:
            raise
        raise click.ClickException(str(exc)) from None
    if s.failures.count:
        if not s.quiet:
            s.warn(f"{s.failures.count} input(s) failed")
        ctx.exit(1)


def _silence_stdout() -> None:
    """After the reader of stdout went away (``| head``), drop further output quietly."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)


@cli.command(cls=PathsCommand)
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option(
    "--pattern",
    default="*.txt",
    show_default=True,
    help="File name pattern used inside directories.",
)
@click.option(
    "--max-size",
    "max_mb",
    type=click.IntRange(1),
    default=64,
    show_default=True,
    help="Refuse files larger than this many MiB.",
)
def parse(paths: tuple[str, ...], pattern: str, max_mb: int) -> Source:
    """Read article files and split them into blocks.

    PATH may be a file, a directory (searched recursively for --pattern, in sorted
    order) or '-' for raw text on stdin. Blocks: headline, dateline, byline, caption,
    subheading, paragraph, credit, boilerplate; each with offsets into the text.

    \b
    Example:
      arnews --format jsonl parse seeds/000_9eba523b984c4cfc.txt
      arnews parse seeds/ | jq -r '.blocks[] | select(.kind=="headline") | .text'
    """
    from arnews_cli.io import expand_paths
    from arnews_cli.steps.parse import parse_file

    s = session()
    if not paths:
        raise click.UsageError("parse needs at least one PATH (a file, a directory, or '-').")
    if "-" in paths and sys.stdin.isatty() and not s.quiet:
        s.warn("reading article text from stdin (Ctrl-D to end)")
    max_bytes = max_mb * 1024 * 1024

    def read() -> Iterator[Article]:
        for path in expand_paths(paths, s.failures, pattern):
            try:
                article = parse_file(path, max_bytes)
            except ArnewsError as exc:
                s.failures.add(path, str(exc.args[0]))
                continue
            yield article

    return Source(read)


@cli.command()
def view() -> Step:
    """Show articles read from JSON Lines on stdin, unchanged.

    Useful to look at saved results on a terminal, or to check a JSON Lines file:
    every record is validated and written back in the chosen --format.

    \b
    Example:
      arnews parse seeds/ > parsed.jsonl
      arnews --format text view < parsed.jsonl
    """

    def step(articles: Iterator[Article]) -> Iterator[Article]:
        return articles

    return step
