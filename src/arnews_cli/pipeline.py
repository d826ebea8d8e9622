"""The streaming chain: steps are functions from an article stream to an article stream.

Each subcommand returns a :data:`Step`; the CLI's result callback folds them in order
and drains the stream once, so the first article is written before the second is read.
A failure on one article is reported through :class:`Failures` and the stream goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from arnews_cli.article import Article
from arnews_cli.errors import ArnewsError

Step = Callable[[Iterator[Article]], Iterator[Article]]
ArticleFn = Callable[[Article], Article]


@dataclass
class Failures:
    """Collects per-input failures; ``report`` is called once for each as it happens."""

    report: Callable[[str], None] = lambda message: None
    debug: bool = False
    count: int = 0
    messages: list[str] = field(default_factory=list)

    def add(self, path: str, reason: str) -> None:
        self.count += 1
        message = f"{path}: {reason}"
        if len(self.messages) < 1000:
            self.messages.append(message)
        self.report(message)


def describe(exc: BaseException) -> str:
    """A one-line reason for an exception raised while processing an article."""
    if isinstance(exc, ArnewsError):
        return str(exc.args[0]) if exc.args else type(exc).__name__
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"internal error ({type(exc).__name__}{': ' + text if text else ''})"


def map_articles(fn: ArticleFn, name: str, failures: Failures) -> Step:
    """Turn a per-article function into a :data:`Step` that isolates each article's failure."""

    def step(articles: Iterator[Article]) -> Iterator[Article]:
        for article in articles:
            try:
                yield fn(article)
            except Exception as exc:  # noqa: BLE001 - one article's bug must not stop the batch
                if failures.debug:
                    raise
                failures.add(article.path, f"{name}: {describe(exc)}")

    return step


def compose(steps: Iterable[Step], source: Iterator[Article]) -> Iterator[Article]:
    """Apply ``steps`` lazily, in order, to ``source``."""
    stream = source
    for step in steps:
        stream = step(stream)
    return stream
