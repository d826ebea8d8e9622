"""All reading and writing: input paths, article files, JSON Lines in and out.

Data goes to stdout only; every diagnostic goes through :class:`~arnews_cli.pipeline.Failures`
(stderr). Input JSON is read as UTF-8 whatever the locale, and output JSON keeps Arabic
as it is (no ``\\uXXXX`` escapes).
"""

from __future__ import annotations

import fnmatch
import os
import sys
from collections.abc import Iterable, Iterator

import orjson

from arnews_cli.article import Article
from arnews_cli.decoding import decode
from arnews_cli.errors import ArnewsError
from arnews_cli.pipeline import Failures
from arnews_cli.storage import expand_url, is_url, read_bytes

STDIN = "-"
DEFAULT_PATTERN = "*.txt"
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def expand_paths(
    paths: Iterable[str], failures: Failures, pattern: str = DEFAULT_PATTERN
) -> Iterator[tuple[str, str]]:
    """``(path, relative name)`` for files as given, directories walked recursively in
    sorted order, and ``-`` (stdin) kept as is.

    The relative name is the file's path below the directory it was found in (its base
    name for a file given directly); ``--output-dir`` mirrors the input tree with it.
    Dot files and dot directories are skipped. A missing path, or a directory with no
    file matching ``pattern``, is reported as a failure and the others go on. A URL
    (``s3://…``, ``file://…``) is listed through fsspec (:mod:`arnews_cli.storage`).
    """
    for path in paths:
        if path == STDIN:
            yield path, "stdin"
        elif is_url(path):
            yield from expand_url(path, failures, pattern)
        elif os.path.isfile(path):
            yield path, os.path.basename(path)
        elif os.path.isdir(path):
            found = False
            for file, rel in _walk_named(path, pattern):
                found = True
                yield file, rel
            if not found:
                failures.add(path, f"no files matching {pattern!r} in this directory")
        elif os.path.exists(path):
            failures.add(path, "not a regular file or directory")
        else:
            failures.add(path, "no such file or directory")


def _walk(directory: str, pattern: str) -> Iterator[str]:
    """The matching files below ``directory``, sorted (dot files and directories skipped)."""
    return (path for path, _ in _walk_named(directory, pattern))


def _walk_named(directory: str, pattern: str, prefix: str = "") -> Iterator[tuple[str, str]]:
    """``(path, path relative to the top directory)`` of the matching files, sorted."""
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        raise ArnewsError(f"cannot list directory: {exc.strerror}", directory) from None
    for entry in entries:
        if entry.name.startswith("."):
            continue
        # the relative name is built while walking: os.path.relpath costs more than a read
        if entry.is_dir():
            yield from _walk_named(entry.path, pattern, prefix + entry.name + os.sep)
        elif entry.is_file() and fnmatch.fnmatchcase(entry.name, pattern):
            yield entry.path, prefix + entry.name


def read_text(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """Read and decode one article file (``-`` is stdin, or a URL); return ``(text, encoding)``."""
    if path == STDIN:
        data = sys.stdin.buffer.read(max_bytes + 1)
    elif is_url(path):
        data = read_bytes(path, max_bytes + 1)
    else:
        try:
            data = _read_file(path, max_bytes + 1)
        except OSError as exc:
            raise ArnewsError(f"cannot read: {exc.strerror}", path) from None
    if len(data) > max_bytes:
        raise ArnewsError(
            f"file larger than {max_bytes // (1024 * 1024)} MiB; raise --max-size to process it",
            path,
        )
    return decode(data, path)


def _read_file(path: str, limit: int) -> bytes:
    """The bytes of a file, but no more than ``limit``.

    Plain ``os`` calls rather than a buffered file object, which costs more than the read
    itself for an article: the first ``read`` asks for the size ``fstat`` gives (one
    allocation), the next one finds the end.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        want = min(os.fstat(fd).st_size + 1, limit)
        chunks: list[bytes] = []
        got = 0
        while got < limit and (chunk := os.read(fd, want)):
            chunks.append(chunk)
            got += len(chunk)
            want = min(limit - got, 1 << 20)
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def load_record(line: bytes | str) -> Article:
    """One JSON Lines record as an :class:`Article`, or :class:`ArnewsError` saying why not."""
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise ArnewsError("invalid JSON") from None
    if not isinstance(record, dict):
        raise ArnewsError("not a JSON object")
    try:
        return Article.from_dict(record)
    except (KeyError, TypeError) as exc:
        raise ArnewsError(f"malformed record ({exc})") from None
    except ValueError as exc:
        raise ArnewsError(str(exc)) from None


def dumps(article: Article) -> bytes:
    """One JSON Lines record, newline included."""
    return orjson.dumps(article.to_dict(), option=orjson.OPT_APPEND_NEWLINE)
