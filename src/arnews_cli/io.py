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
from pathlib import PurePath

import orjson

from arnews_cli.article import Article
from arnews_cli.decoding import decode
from arnews_cli.errors import ArnewsError
from arnews_cli.pipeline import Failures
from arnews_cli.storage import expand_url, is_url, local_path, read_bytes, url_parts

STDIN = "-"
DEFAULT_PATTERN = "*.txt"
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
MAX_RECORD_BYTES = 1 << 30
"""The longest record line read from stdin (the whole chain's record of an article of
``DEFAULT_MAX_BYTES`` is about 7 times as long as its text): a longer one, or a stream
with no line breaks, is refused instead of held in memory."""


def in_units(size: int) -> str:
    """``size`` bytes as a message says it: in GiB or MiB when a whole number of them."""
    for shift, unit in ((30, "GiB"), (20, "MiB")):
        if size >= 1 << shift and not size % (1 << shift):
            return f"{size >> shift} {unit}"
    return f"{size} bytes"


def expand_paths(
    paths: Iterable[str], failures: Failures, pattern: str = DEFAULT_PATTERN,
    distinct: bool = False, output_dir: str | None = None,
) -> Iterator[tuple[str, str]]:
    """``(path, relative name)`` for files as given, directories walked recursively in
    sorted order, and ``-`` (stdin) kept as is.

    The relative name is the file's path below the directory it was found in (its base
    name for a file given directly); ``--output-dir`` mirrors the input tree with it.
    With several inputs, a directory's files keep its name in front
    (``corpus/bbc corpus/cnn`` -> ``bbc/…``, ``cnn/…``). Dot files and dot directories
    are skipped, and a symbolic link back to a directory above it is reported instead
    of followed. A missing path, a directory with no file matching ``pattern`` or one
    that cannot be listed is reported as a failure and the others go on. With
    ``distinct`` (one output file per input), an input whose output name an earlier
    input already has (``a.txt`` and ``a.md``, two files ``1.txt`` given directly) is
    reported instead of overwriting it. ``output_dir``, when inside a folder walked, is
    not read as input. A URL (``s3://…``, ``file://…``) is listed through fsspec
    (:mod:`arnews_cli.storage`).
    """
    paths = list(paths)
    several = len(paths) > 1  # stdin too: stdin.json beside a folder's own stdin.txt
    local_output = local_path(output_dir) if output_dir else None
    skip = _identity(local_output) if local_output else None
    # URLs are named as folders before they are listed: a file's name is its own
    names = _folder_names([p for p in paths if is_url(p) or os.path.isdir(p)]) \
        if several else {}
    taken: set[str] = set()  # output names at the top level: one per argument at most

    def claim(path: str, name: str) -> bool:
        if not distinct:
            return True
        if name in taken:
            failures.add(path, f"another input already has the output name {name!r}; "
                               "not processed (give it on its own, or rename it)")
            return False
        taken.add(name)
        return True

    for path in paths:
        if path == STDIN:
            if claim(path, "stdin.json"):
                yield path, "stdin"
        elif is_url(path):
            prefix = names[path] + "/" if several else ""
            claimed = False
            for url, rel in expand_url(path, failures, pattern, distinct, skip, several):
                if url == path:  # a file given directly
                    if claim(url, _output_name(rel)):
                        yield url, rel
                    continue
                if prefix and not claimed:
                    if not claim(path, prefix):
                        break
                    claimed = True
                yield url, prefix + rel
        elif os.path.isfile(path):
            name = os.path.basename(path)
            if claim(path, _output_name(name)):
                yield path, name
        elif os.path.isdir(path):
            prefix = names[path] + os.sep if several else ""
            if prefix and not claim(path, prefix):
                continue
            before = failures.count
            found = False
            for file, rel in _walk_named(path, pattern, failures, prefix, distinct, skip=skip,
                                         in_place=False if several else None):
                found = True
                yield file, rel
            if not found and failures.count == before:
                failures.add(path, f"no files matching {pattern!r} in this directory")
        elif os.path.exists(path):
            failures.add(path, "not a regular file or directory")
        else:
            failures.add(path, "no such file or directory")


def _folder_names(folders: list[str]) -> dict[str, str]:
    """The names folders given together keep in the output tree: their own names, with
    as many parent folders in front as it takes to tell them apart
    (``2023/news 2024/news`` -> ``2023/news``, ``2024/news``), and so that no folder's
    tree lands inside another's (``corpus/news`` and ``mirror/news/bbc`` are not named
    ``news`` and ``news/bbc``). A URL's parents are its host and path."""
    keys = {f: _folder_key(f) for f in folders}
    parts = {k: _parts(k) for k in dict.fromkeys(keys.values())}  # a folder given twice
    # is named once (the second is then reported as a clash, not named by its full path)
    depth = dict.fromkeys(parts, 1)
    while True:
        named = {k: "/".join(parts[k][-depth[k]:]) or "input" for k in parts}
        owners: dict[str, list[str]] = {}
        for k, name in named.items():
            owners.setdefault(name, []).append(k)
        clash = {k for same in owners.values() if len(same) > 1 for k in same}
        for k, name in named.items():  # a name inside another's tree: both grow
            steps = name.split("/")
            for i in range(1, len(steps)):
                above = owners.get("/".join(steps[:i]))
                if above:
                    clash.update(above)
                    clash.add(k)
        grow = [k for k in clash if depth[k] < len(parts[k])]
        if not grow:
            return {f: named[keys[f]] if is_url(keys[f]) else named[keys[f]].replace("/", os.sep)
                    for f in folders}
        for k in grow:
            depth[k] += 1


def _folder_key(folder: str) -> str:
    """The folder itself: a ``file://`` URL is the local folder it names."""
    local = local_path(folder)
    if local is None:
        return folder.rstrip("/")
    return os.path.normpath(os.path.abspath(local))


def _parts(key: str) -> list[str]:
    """The path components of a folder's key, a URL's host first."""
    if is_url(key):
        return url_parts(key)
    return [p for p in key.split(os.sep) if p]


def json_name(target: PurePath) -> PurePath:
    """The output file named after its input: ``1.txt`` -> ``1.json``, ``1`` -> ``1.json``."""
    if target.suffix:
        return target.with_suffix(".json")
    return target.with_name(target.name + ".json")


def _output_name(rel: str) -> str:
    return str(json_name(PurePath(rel)))


def _walk(directory: str, pattern: str, failures: Failures | None = None) -> Iterator[str]:
    """The matching files below ``directory``, sorted (dot files and directories skipped)."""
    return (path for path, _ in _walk_named(directory, pattern, failures))


def sibling_clash(output: str) -> str:
    """Why a file is skipped whose output name a file beside it already has."""
    return (f"its output {output} is that of another file here (the same name but for the "
            "extension); not processed")


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _walk_named(
    directory: str, pattern: str, failures: Failures | None = None, prefix: str = "",
    distinct: bool = False, above: frozenset[tuple[int, int]] = frozenset(),
    skip: tuple[int, int] | None = None, in_place: bool | None = None,
) -> Iterator[tuple[str, str]]:
    """``(path, path relative to the top directory)`` of the matching files, sorted.

    A directory that cannot be listed, a symbolic link back to one of the directories
    above it (``ln -s . self``), and a matching name that is no file (a broken link, a
    named pipe) are reported to ``failures`` and skipped (raised as an
    :class:`ArnewsError` without ``failures``); so are files whose output name a sibling
    already has, with ``distinct``. The directory ``skip`` (``(st_dev, st_ino)``: the
    output folder) is passed over when inside the tree; when it is the tree itself
    (``-o news parse news``, ``in_place`` not ``False``: the tree is the only input), each
    record lies beside its input, and a record of another file beside it is not read.
    """

    def report(path: str, reason: str) -> None:
        if failures is None:
            raise ArnewsError(reason, path)
        failures.add(path, reason)

    try:
        info = os.stat(directory)
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        report(directory, f"cannot list directory: {exc.strerror}")
        return
    here = (info.st_dev, info.st_ino)
    if above and here == skip:
        return  # the output folder, inside the input: its records are no input
    if here in above:
        report(directory, "a symbolic link to a directory above it; not followed")
        return
    if in_place is None:
        in_place = here == skip
    records = _records_beside(entries, pattern) if in_place else set()
    above = above | {here}
    outputs: set[str] = set()
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError as exc:
            report(entry.path, f"cannot read: {exc.strerror}")
            continue
        # the relative name is built while walking: os.path.relpath costs more than a read
        if is_dir:
            yield from _walk_named(entry.path, pattern, failures, prefix + entry.name + os.sep,
                                   distinct, above, skip, in_place)
        elif entry.name in records:
            continue
        elif is_file and fnmatch.fnmatchcase(entry.name, pattern):
            if distinct:
                out = _output_name(entry.name)
                if out in outputs:
                    report(entry.path, sibling_clash(prefix + out))
                    continue
                outputs.add(out)
            yield entry.path, prefix + entry.name
        elif not is_dir and fnmatch.fnmatchcase(entry.name, pattern):
            # a name the run would read, but nothing to read: said, as when given directly
            report(entry.path, "broken symbolic link: no such file or directory"
                   if entry.is_symlink() else "not a regular file or directory")


_RECORD_START = b'{"schema":"arnews/'


def _records_beside(entries: list[os.DirEntry[str]], pattern: str) -> set[str]:
    """The names among ``entries`` that are the record an earlier run wrote in place for
    another matching file among them (``1.json`` beside ``1.txt``, holding a record: a
    ``1.json`` of another program's stays an input, whose output name clashes)."""
    files = {e.name: e for e in entries if not e.name.startswith(".")
             and fnmatch.fnmatchcase(e.name, pattern) and _is_file(e)}
    return {out for name in files if (out := _output_name(name)) != name and out in files
            and _is_record(files[out].path)}


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _is_record(path: str) -> bool:
    """Whether the file at ``path`` begins as the records arnews writes do."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(_RECORD_START)) == _RECORD_START
    except OSError:
        return False


def record_path(path: str) -> str:
    """``path`` as a record holds it: valid Unicode, so a name whose bytes are not UTF-8
    (``caf\\xe9.txt`` from Latin-1 days) has them as ``\\xe9`` escapes."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return os.fsencode(path).decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            return path.encode("utf-8", "backslashreplace").decode("utf-8")
    return path


def read_text(
    path: str, max_bytes: int = DEFAULT_MAX_BYTES, data: bytes | None = None
) -> tuple[str, str]:
    """Read and decode one article file (``-`` is stdin, or a URL); return ``(text, encoding)``.

    ``data``: the file's bytes (up to ``max_bytes + 1``), when already read."""
    if data is not None:
        pass
    elif path == STDIN:
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
