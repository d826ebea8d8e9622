"""The chain: each subcommand contributes a :class:`Stage` over a stream of articles.

A stage is a per-article function (picklable, so worker processes can run it) and,
optionally, a *roll-up*: a mergeable summary built over every article of the run
(``add`` one article, ``merge`` another partial summary; associative and
order-independent, so partial summaries from workers combine into the same result).
A failure on one article is reported through :class:`Failures` and the stream goes on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, Protocol

from arnews_cli.article import Article
from arnews_cli.errors import ArnewsError

Step = Callable[[Iterator[Article]], Iterator[Article]]
ArticleFn = Callable[[Article], Article]


class Rollup(Protocol):
    """A summary over many articles that partial summaries can be merged into."""

    def add(self, article: Article) -> None: ...

    def merge(self, other: Any) -> None: ...


_FILLS = {
    "normalize": "normalized", "tokenize": "tokens", "extract-quotes": "quotes",
    "summarize-sources": "sources",
}
ADDED_FIELDS = frozenset(_FILLS.values())
"""The fields a step adds to an article (their companions, such as ``sentences``
beside ``tokens``, come and go with them)."""
COMPANIONS = {"tokens": "sentences", "sources": "source_summary"}
"""The field a step writes beside the one it adds."""


@dataclass(frozen=True)
class Stage:
    """One subcommand's share of the work.

    ``fn`` must be picklable (a module-level function, or ``functools.partial`` of one
    with plain-value options) because ``-j N`` runs it in worker processes. ``rollup``
    is a factory (a class) for a :class:`Rollup`; ``finish`` shows or writes the merged
    roll-up once the stream is done, given the roll-up and the session.
    """

    name: str
    fn: ArticleFn | None = None
    rollup: Callable[[], Rollup] | None = None
    finish: Callable[[Any, Any], None] | None = None
    made_by: Callable[[Article, AbstractSet[str]], bool] | None = None
    """Whether a finished record's field was made with this stage's options, given the
    fields the record held before the stage (for ``--resume``; picklable like ``fn``);
    ``None``: the stage has no such options."""
    writes: tuple[str, ...] = ()
    """Files ``finish`` writes (roll-ups), checked before the run against its inputs."""

    @property
    def fills(self) -> str | None:
        """The :class:`Article` field this stage fills in (``None`` for ``view``)."""
        return _FILLS.get(self.name)

    def __call__(self, articles: Iterator[Article]) -> Iterator[Article]:
        """Run as a plain stream step (no failure isolation)."""
        if self.fn is None:
            return articles
        fn = self.fn
        return (fn(a) for a in articles)


@dataclass
class Failures:
    """Collects per-input failures; ``report`` is called once for each as it happens."""

    report: Callable[[str], None] = lambda message: None
    debug: bool = False
    count: int = 0
    messages: list[str] = field(default_factory=list)

    def add(self, path: str, reason: str) -> None:
        self.count += 1
        message = f"{shown(path)}: {shown(reason)}"
        if len(self.messages) < 1000:
            self.messages.append(message)
        self.report(message)


_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def shown(text: str) -> str:
    """``text`` on one line of a terminal: control characters (a newline or an escape
    sequence in a file name) and bytes a name held that are not UTF-8 as ``\\n``,
    ``\\x1b``, ``\\xe9``."""
    if _UNSHOWABLE.search(text) is None:
        return text
    return _UNSHOWABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if "\udc80" <= char <= "\udcff":  # a byte os.fsdecode could not decode
        return f"\\x{ord(char) - 0xDC00:02x}"
    return repr(char)[1:-1]


def describe(exc: BaseException) -> str:
    """A one-line reason for an exception raised while processing an article."""
    if isinstance(exc, ArnewsError):
        return str(exc.args[0]) if exc.args else type(exc).__name__
    if isinstance(exc, TimeoutError):
        return f"time limit exceeded ({exc})" if str(exc) else "time limit exceeded"
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"internal error ({type(exc).__name__}{': ' + text if text else ''})"


def apply_stages(article: Article, stages: Iterable[Stage]) -> Article:
    """Run every stage's function on one article, naming the stage in any error."""
    for stage in stages:
        if stage.fn is None:
            continue
        try:
            article = stage.fn(article)
        except StageError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported with the stage and article named
            raise StageError(stage.name, exc) from exc
    return article


class StageError(Exception):
    """An exception raised by a stage, tagged with the stage's name."""

    def __init__(self, stage: str, cause: BaseException) -> None:
        super().__init__(f"{stage}: {describe(cause)}")
        self.stage = stage
        self.cause = cause
