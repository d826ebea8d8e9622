"""Inputs and outputs given as fsspec URLs (``file://``, ``s3://``, ``memory://`` …).

Plain paths never come here: :mod:`arnews_cli.io` and :mod:`arnews_cli.runner` keep
their own code for them. A URL is listed, read and written through fsspec (imported
only when a URL is met; it comes with ``pip install 'arnews-cli[dask]'``), so workers
on other hosts can share object or network storage. ``file://`` URLs use the local
code underneath, so listing order and atomic renames are exactly those of plain paths.

Writes are all-or-nothing: a local file through a temporary name and a rename, an
object store through one ``put`` (an object appears whole or not at all), any other
filesystem through a temporary name and a move.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import posixpath
import uuid
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from arnews_cli.errors import ArnewsError

if TYPE_CHECKING:
    from arnews_cli.pipeline import Failures

_URL = regex.compile(r"[A-Za-z][A-Za-z0-9+.\-]*(?:::[A-Za-z][A-Za-z0-9+.\-]*)*://")
# Filesystems whose single put is atomic (whole object or none), so no temporary name.
SINGLE_PUT = frozenset(
    {"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "adl", "oci", "oss", "r2", "memory"}
)
INSTALL_HINT = "URLs need fsspec: pip install 'arnews-cli[dask]'"


def is_url(path: str) -> bool:
    """Whether ``path`` is a URL (``scheme://…``, fsspec chains ``a::b://`` too)."""
    return _URL.match(path) is not None


def local_path(path: str) -> str | None:
    """The local file system path of ``path`` or of a ``file://`` URL; ``None`` for
    other URLs.

    A ``file://`` URL is percent-decoded (RFC 8089, and what ``Path.as_uri()`` writes:
    ``file:///news/my%20folder`` is the folder ``my folder``); ``file://localhost/…`` is
    the same as ``file:///…``, and a path without a leading ``/`` is taken from the
    working folder, as fsspec does. Everything after ``file://`` belongs to the path: a
    file name may hold ``?`` or ``#``.
    """
    if not is_url(path):
        return path
    if path.startswith("file://"):
        from urllib.request import url2pathname  # decodes; on Windows /C:/x is C:\x

        rest = path[len("file://") :]
        if rest.startswith("localhost/"):
            rest = rest[len("localhost") :]
        return os.path.abspath(url2pathname(rest))  # file:// alone: the working folder
    return None


def quote_name(url: str, rel: str) -> str:
    """``rel`` (a relative name as listed) appended to the folder URL ``url`` so that the
    URL reads back as that name: in a ``file://`` URL, which :func:`local_path` decodes,
    ``%``, ``#`` and ``?`` are escaped (any reader of file URLs then finds the file; the
    rest stays readable: spaces, Arabic); other URLs name their objects as written."""
    if url.startswith("file://"):
        rel = rel.replace("%", "%25").replace("#", "%23").replace("?", "%3F")
    scheme, sep, path = url.partition("://")
    folder = path.rstrip("/") or path[:1]  # the root ("file:///") keeps its slash
    joined = f"{folder}{rel}" if folder in ("", "/") else f"{folder}/{rel}"
    return f"{scheme}{sep}{joined}"


def url_parts(url: str) -> list[str]:
    """A URL's host and the folders and name of its path, as written (the last URL of an
    fsspec chain: ``simplecache::s3://b/k`` -> ``["b", "k"]``; ``?`` and ``#`` are part of
    an object's key); a ``file://`` URL's path as :func:`local_path` reads it."""
    local = local_path(url)
    if local is not None:
        return list(Path(local).parts[1:])  # the root ("/", "C:\\") dropped
    after = url.rsplit("::", 1)[-1].partition("://")[2]
    return [p for p in after.split("/") if p]


def is_within(path: str, folder: str) -> bool:
    """Whether the local ``path`` is ``folder`` or inside it, links resolved."""
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return os.path.commonpath([path, folder]) == folder


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec filesystem for ``url`` and the path within it."""
    try:
        from fsspec.core import url_to_fs  # type: ignore[import-untyped]
    except ImportError:
        raise ArnewsError(INSTALL_HINT, url) from None
    local = local_path(url)
    try:
        fs, path = url_to_fs(url if local is None else f"file://{local}")
    except (ImportError, ValueError) as exc:
        raise ArnewsError(f"cannot open URL: {exc}", url) from None
    return fs, str(path)


def is_local(fs: Any) -> bool:
    """Whether ``fs`` is the local disk (``file://``)."""
    from fsspec.implementations.local import LocalFileSystem  # type: ignore[import-untyped]

    return isinstance(fs, LocalFileSystem)


def expand_url(
    url: str, failures: Failures, pattern: str, distinct: bool = False,
    skip: tuple[int, int] | None = None, among_others: bool = False,
) -> Iterator[tuple[str, str]]:
    """Like :func:`arnews_cli.io.expand_paths` for one URL: ``(url, relative name)``.

    A directory is walked recursively and lazily, in the same order as a local one (by
    name at each level, dot files and dot directories skipped); the URLs yielded keep
    the spelling of ``url`` with the relative name appended (:func:`quote_name`). With
    ``distinct``, a file whose output name a sibling already has is reported and
    skipped; the local folder ``skip`` (``(st_dev, st_ino)``: the output folder) is
    passed over, or, when it is the folder itself and ``url`` is not ``among_others``,
    the records written there beside their inputs.
    """
    try:
        fs, root = filesystem(url)
        if fs.isfile(root):
            yield url, posixpath.basename(root)
            return
        if not fs.isdir(root):
            exists = fs.exists(root)
            failures.add(url, "not a regular file or directory" if exists else
                         "no such file or directory")
            return
        found = False
        rels = (_walk_local(root, pattern, failures, distinct, skip, among_others)
                if is_local(fs) else _walk(fs, root, pattern))
        outputs: set[str] = set()
        for rel in rels:
            found = True
            if distinct and not is_local(fs):
                from arnews_cli.io import _output_name, sibling_clash

                out = _output_name(rel)
                if out in outputs:
                    failures.add(quote_name(url, rel), sibling_clash(out))
                    continue
                outputs.add(out)
            yield quote_name(url, rel), rel
    except ArnewsError as exc:
        failures.add(url, str(exc.args[0]))
        return
    except OSError as exc:
        failures.add(url, f"cannot list: {exc}")
        return
    if not found:
        failures.add(url, f"no files matching {pattern!r} in this directory")


def _walk_local(
    root: str, pattern: str, failures: Failures, distinct: bool = False,
    skip: tuple[int, int] | None = None, among_others: bool = False,
) -> Iterator[str]:
    from arnews_cli.io import _walk_named

    for _, rel in _walk_named(root, pattern, failures, distinct=distinct, skip=skip,
                              in_place=False if among_others else None):
        yield Path(rel).as_posix()


def _walk(fs: Any, directory: str, pattern: str, rel: str = "") -> Iterator[str]:
    """Relative names of the files under ``directory``, one listing per level."""
    entries = []
    for entry in fs.ls(directory, detail=True):
        name = posixpath.basename(str(entry["name"]).rstrip("/"))
        if name and not name.startswith(".") and str(entry["name"]).rstrip("/") != directory:
            entries.append((name, entry))
    for name, entry in sorted(entries, key=lambda pair: pair[0]):
        if entry["type"] == "directory":
            yield from _walk(fs, str(entry["name"]).rstrip("/"), pattern, f"{rel}{name}/")
        elif fnmatch.fnmatchcase(name, pattern):
            yield f"{rel}{name}"


def _remove_quietly(fs: Any, path: str) -> None:
    with contextlib.suppress(Exception):
        fs.rm(path)


def read_bytes(url: str, limit: int) -> bytes:
    """At most ``limit`` bytes of the file at ``url``."""
    fs, path = filesystem(url)
    try:
        with fs.open(path, "rb") as handle:
            return bytes(handle.read(limit))
    except FileNotFoundError:
        raise ArnewsError("cannot read: No such file or directory", url) from None
    except OSError as exc:
        raise ArnewsError(f"cannot read: {exc.strerror or exc}", url) from None


class RemotePath:
    """An output file named by URL, with the few methods the runner uses on a ``Path``."""

    def __init__(self, url: str) -> None:
        self.url = url

    def __str__(self) -> str:
        return self.url

    def __repr__(self) -> str:
        return f"RemotePath({self.url!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RemotePath) and other.url == self.url

    def __hash__(self) -> int:
        return hash(self.url)

    def exists(self) -> bool:
        fs, path = filesystem(self.url)
        return bool(fs.exists(path))

    def read_bytes(self) -> bytes:
        fs, path = filesystem(self.url)
        return bytes(fs.cat_file(path))

    def write_atomic(self, data: bytes) -> None:
        """Write ``data`` all at once: readers see the old file, or none, or all of it."""
        fs, path = filesystem(self.url)
        if is_local(fs):
            from arnews_cli.runner import write_atomic

            write_atomic(Path(path), data)
            return
        protocols = {fs.protocol} if isinstance(fs.protocol, str) else set(fs.protocol)
        if protocols & SINGLE_PUT:
            fs.pipe_file(path, data)
            return
        from arnews_cli import runner

        parent = posixpath.dirname(path)
        fs.makedirs(parent, exist_ok=True)
        tmp = f"{parent}/.tmp-{uuid.uuid4().hex}.part"
        runner._on_terminate = partial(_remove_quietly, fs, tmp)  # a worker stopped now
        try:
            fs.pipe_file(tmp, data)
            fs.mv(tmp, path)
        except BaseException:
            _remove_quietly(fs, tmp)
            raise
        finally:
            runner._on_terminate = None


def output_url(output_dir: str, rel_target: str) -> RemotePath:
    """The output file ``rel_target`` (a relative POSIX path) under the URL ``output_dir``."""
    return RemotePath(quote_name(output_dir, rel_target))
