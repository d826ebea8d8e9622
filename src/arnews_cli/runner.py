"""Run a chain over many inputs: in this process or in worker processes, in order.

Inputs are *items*: article files (``parse`` chains) or JSON Lines records (chains that
read stdin). Items go to workers in chunks; every worker parses, runs the stages over
its chunk stage by stage, serialises its records (and, with ``--output-dir``, writes its
files atomically) and returns partial roll-ups, plus the records unless it could write
them to stdout itself in their turn; the parent writes the rest in order and merges. At
most a few chunks are in flight at a time, so memory stays flat however many inputs
there are.
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from arnews_cli.article import Article
from arnews_cli.decoding import BOMS
from arnews_cli.errors import ArnewsError
from arnews_cli.interrupts import ctrl_c_held, in_finalizer
from arnews_cli.io import STDIN, dumps, json_name, load_record, record_path
from arnews_cli.pipeline import (
    ADDED_FIELDS,
    COMPANIONS,
    Rollup,
    Stage,
    StageError,
    apply_stages,
    describe,
)
from arnews_cli.storage import RemotePath, is_url, local_path, output_url, url_parts

if TYPE_CHECKING:
    from concurrent.futures import Future

CHUNK = 24
LARGEST_CHUNK = 96
_T = TypeVar("_T")


@dataclass(frozen=True)
class Item:
    """One input: a file path (``kind='path'``) or one JSON Lines record (``'record'``)."""

    kind: str
    name: str
    data: bytes = b""
    rel: str = ""


@dataclass(frozen=True)
class Options:
    """What every worker needs to know, picklable."""

    stages: tuple[Stage, ...]
    max_bytes: int
    output_dir: str | None = None
    resume: bool = False
    timeout: float = 0.0
    want_records: bool = True
    debug: bool = False


@dataclass
class Outcome:
    """What one chunk produced: records in input order, failures, partial roll-ups."""

    records: list[bytes] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    rollups: list[Any] = field(default_factory=list)
    ok: int = 0
    skipped: int = 0
    nbytes: int = 0  # the input bytes of the chunk (the files' sizes)
    written: bool = False  # the worker wrote the records to the output itself
    broken: bool = False  # the output's reader went away (``| head``)
    write_error: str = ""  # why writing the records failed (a full disk)


def output_path(output_dir: str, rel: str) -> Path:
    """Where the JSON of an input goes under ``output_dir`` (mirrors the input tree)."""
    path = Path(rel)
    within = path.parts[1:] if path.anchor else path.parts  # "/", "//" or "C:\\" dropped
    parts = [p for p in within if p not in ("", ".", "..")]
    return Path(json_name(Path(output_dir, *parts) if parts else Path(output_dir, "stdin")))


def record_rel(path: str) -> str:
    """Where a record read from stdin goes under the output folder, by its ``path``: as
    ``parse`` lays out the same input (``-`` as ``stdin``), a URL by its host and path
    (``file:///data/a.txt`` as ``data/a.txt``, ``s3://bucket/a.txt`` as ``bucket/a.txt``)."""
    if path == STDIN:
        return "stdin"
    rel = "/".join(url_parts(path)) if is_url(path) else path
    if "\x00" in rel:  # also written %00 in a URL
        raise ArnewsError("its path holds a NUL character, which no file name can; "
                          "not written", path)
    return rel


def output_target(output_dir: str, rel: str) -> Path | RemotePath:
    """:func:`output_path`, or its URL under an fsspec ``output_dir`` (``s3://…``)."""
    if is_url(output_dir):
        return output_url(output_dir, output_path(".", rel).as_posix())
    return output_path(output_dir, rel)


_O_BINARY = getattr(os, "O_BINARY", 0)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    global _on_terminate
    path.parent.mkdir(parents=True, exist_ok=True)
    # The temporary name is chosen before the file is created, so that it is removed
    # whenever the write is cut short, even by a worker stopped in the middle of creating
    # it (tempfile.mkstemp returns the name only after the file exists).
    tmp = path.parent / f".tmp-{_host()}-{os.getpid()}-{os.urandom(6).hex()}.part"
    _on_terminate = partial(remove_quietly, tmp)
    try:
        # 0o666 less the umask, as for any file a program creates (not private to the user)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        remove_quietly(tmp)
        raise
    finally:
        _on_terminate = None


def remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


@cache
def _host() -> str:
    """This machine's name as a temporary file name may hold it, with the number of its
    process-id namespace where there is one (containers that share a name but not
    their process ids)."""
    import re
    import socket

    name = re.sub(r"[^A-Za-z0-9.]", "_", socket.gethostname())[:64] or "host"
    try:
        return f"{name}.{os.stat('/proc/self/ns/pid').st_ino}"
    except OSError:  # not Linux
        return name


def remove_stale_temporaries(folder: str) -> None:
    """Remove the temporary files that runs stopped with ``SIGKILL`` on this machine
    (``kill -9``, the OOM killer) left under ``folder``: their names hold the machine
    and the process that wrote them, which no longer runs. Those of a run still going,
    or of another machine sharing the folder, stay."""
    import re

    if os.name == "nt":  # os.kill(pid, 0) would send Ctrl-C there, not test the process
        return
    stale = re.compile(rf"\.tmp-{re.escape(_host())}-(\d+)-[0-9a-f]{{12}}\.part")
    for root, _dirs, files in os.walk(folder):
        for name in files:
            match = stale.fullmatch(name)
            if match and not _running(int(match[1])):
                remove_quietly(Path(root, name))


def _running(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (a number no process id can be, as a
    file name made to look like a temporary file of ours may hold, runs nowhere)."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError, ValueError):
        return False
    except OSError:  # another user's process
        return True
    return True


_on_terminate: Callable[[], None] | None = None
"""What a worker stopped now must undo first: remove the temporary file being written."""


class _Work:
    """One input on its way through the chain."""

    __slots__ = ("item", "article", "target", "data", "failure", "spent", "finished", "stamp")

    def __init__(self, item: Item) -> None:
        self.item = item
        self.article: Article | None = None
        self.target: Path | RemotePath | None = None
        self.data: bytes | None = None  # its record; None when resumed from disk
        self.failure: tuple[str, str] | None = None
        self.spent = 0.0  # seconds charged to the time limit so far
        self.finished = False  # failed, resumed or serialised: no more work to do
        self.stamp: int | None = None  # the input file's last change before it was read


class _Clock:
    """The per-file time limit (``--timeout``), charged across the calls made for one file.

    In the main thread one ``SIGALRM`` timer serves the whole chunk: a call notes which
    file is being worked on and since when (and sets the timer only if it would ring
    after that file's time is up), and the timer, when it rings, either stops a file
    that has used up its time or is set again for the time the current file has left.
    So it rings about once per limit's length, and never late. In other
    threads (Dask runs tasks there, and signals reach only the main thread) a watchdog
    thread does the job (:mod:`arnews_cli.deadline`).
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.signals = (
            seconds > 0 and hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
        )
        self.previous: Any = None
        self.current: _Work | None = None
        self.since = 0.0
        self.rings_at = math.inf  # when the timer rings (time.perf_counter)
        self.closed = False

    def __enter__(self) -> _Clock:
        if self.signals:
            self.previous = signal.signal(signal.SIGALRM, self._ring)
            self._set(self.seconds)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.signals:
            self.closed = True  # a ring already under way must not set the timer again
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)

    def _ring(self, signum: int, frame: Any) -> None:
        if self.closed:
            return
        work = self.current
        left = self.seconds
        if work is not None:
            left -= work.spent + (time.perf_counter() - self.since)
            if left <= 0:
                if in_finalizer(frame):
                    # raised in a destructor, it would be printed and dropped: ring again
                    self._set(0.001)
                    return
                self._set(self.seconds)  # for the files after this one
                raise self._expired()
        self._set(left)

    def _expired(self) -> TimeoutError:
        return TimeoutError(f"{self.seconds:g} s per file")

    def _set(self, seconds: float) -> None:
        seconds = max(seconds, 0.001)  # below a microsecond setitimer would stop the timer
        self.rings_at = time.perf_counter() + seconds
        signal.setitimer(signal.ITIMER_REAL, seconds)

    def call(self, work: _Work, fn: Callable[[], _T]) -> _T:
        """``fn()``, stopped with :class:`TimeoutError` when ``work`` runs out of time."""
        if self.seconds <= 0:
            return fn()
        left = self.seconds - work.spent
        if left <= 0:
            raise self._expired()
        start = time.perf_counter()
        try:
            if self.signals:
                self.since, self.current = start, work
                if start + left < self.rings_at:
                    self._set(left)
                try:
                    return fn()
                finally:
                    self.current = None
            from arnews_cli.deadline import thread_time_limit

            with thread_time_limit(left, self.seconds):
                return fn()
        finally:
            work.spent += time.perf_counter() - start


def _is_input(target: Path | RemotePath, source: str) -> bool:
    """Whether the output file ``target`` is the input file ``source`` itself (through a
    link, a ``file://`` URL or a folder given twice): writing it would destroy the input."""
    out, given = local_path(str(target)), local_path(source)
    if out is None or given is None or not os.path.exists(out):
        return False
    try:
        return os.path.samefile(out, given)
    except OSError:
        return False


def _load(item: Item, options: Options) -> Article:
    if item.kind == "path":
        from arnews_cli.steps.parse import parse_file

        return parse_file(item.name, options.max_bytes)
    return load_record(item.data)


BATCH_CHARS = 1 << 20
"""Most text a batch of articles holds while it goes through the stages together."""


def run_chunk(
    items: list[Item], options: Options, into: list[Rollup | None] | None = None,
    turn: int | None = None,
) -> Outcome:
    """Process a chunk of items; never raises for a single item's failure.

    The articles go through the chain a batch at a time, stage by stage: each step then
    runs over many articles in a row while its code and tables are still in the CPU's
    caches, which is several per cent faster than taking each article through every
    step in turn. A batch holds at most :data:`BATCH_CHARS` of text (or one longer
    article), so memory stays flat. The articles are added to fresh partial roll-ups
    returned in the outcome, or, in this process, straight to the roll-ups ``into``
    (the outcome then carries none); either way in input order. ``turn``, the chunk's
    number, lets a worker write its records to the output itself (:func:`_write_in_turn`).
    """
    out = Outcome(rollups=new_rollups(options.stages) if into is None else [])
    out.nbytes = items.nbytes if isinstance(items, Chunk) else sum(map(_input_size, items))
    rollups = out.rollups if into is None else into
    works = [_Work(item) for item in items]
    counted = 0
    try:
        with _Clock(options.timeout) as clock:
            batch: list[_Work] = []
            held = 0
            for work in works:
                _attempt(work, options, partial(_begin, work, options, clock))
                if work.finished:
                    continue
                batch.append(work)
                held += len(work.article.text) if work.article is not None else 0
                if held >= BATCH_CHARS:
                    _run_batch(batch, options, clock)
                    counted = _count(works, counted, out, rollups, options)
                    batch, held = [], 0
            _run_batch(batch, options, clock)
    except OutputFailed as exc:  # the works written so far are counted; the run stops
        out.write_error = str(exc)
        _count(works, counted, out, rollups, options)
        return out
    _count(works, counted, out, rollups, options)
    if turn is not None and _direct is not None:
        _write_in_turn(out, turn, *_direct)
    return out


_direct: tuple[Any, int] | None = None
"""In a worker that writes its records itself: the shared turn counter and the output."""

_WAIT = 2.0
"""Seconds a worker waits for the output before handing its records to the parent."""


def _write_in_turn(out: Outcome, turn: int, counter: Any, fd: int) -> None:
    """Write ``out``'s records to ``fd`` if the chunks before this one are written.

    The parent relaying every record (a pickled copy through a pipe, then a write) cost
    about a tenth of a light chain's time with ``-j2``. Chunks are numbered; the shared
    counter holds the number of the next chunk to write, and its lock is held while
    writing, so the output keeps input order. A worker whose turn has not come (or that
    cannot get the lock soon) hands its records to the parent as before, which writes
    them in turn.
    """
    lock = counter.get_lock()
    if not lock.acquire(timeout=_WAIT):
        return
    try:
        if counter.value != turn:
            return
        try:
            write_all(fd, out.records)
        except BrokenPipeError:
            out.broken = True
        except OSError as exc:
            out.write_error = exc.strerror or str(exc)
        out.records, out.written = [], True
        counter.value = turn + 1
    finally:
        lock.release()


_IOV_MAX = 1024
"""The most buffers one ``writev`` takes (``IOV_MAX`` on Linux and macOS)."""


def write_all(fd: int, records: list[bytes]) -> None:
    """Write ``records`` to ``fd`` whole, however many calls the pipe needs.

    Through ``writev`` where there is one: joining a chunk's records first cost a copy of
    them all into a new buffer, large enough to be mapped afresh, page by page, for
    every chunk.
    """
    if not hasattr(os, "writev"):
        data = memoryview(b"".join(records))
        while data:
            data = data[os.write(fd, data) :]
        return
    buffers = [memoryview(record) for record in records if record]
    first = 0
    while first < len(buffers):
        batch = buffers[first : first + _IOV_MAX]
        written = os.writev(fd, batch)
        for buffer in batch:  # drop what went out; the rest of a record cut short stays
            if written < len(buffer):
                buffers[first] = buffer[written:]
                break
            written -= len(buffer)
            first += 1


_INLINE = 2048
"""The longest reply (a pickled outcome) a worker sends back through the pool's pipe; a
longer one is left in a file of the run's spool folder, and the reply names it."""


def run_chunk_in_worker(
    spool: str | None, items: list[Item], options: Options, turn: int | None,
) -> bytes | str:
    """:func:`run_chunk` in a worker process, its outcome pickled, or the name of the file
    in ``spool`` holding it when longer than :data:`_INLINE` (unless the file cannot be
    written: a full disk, no ``spool``).

    The pool's pipe back to this process is shared by all the workers, and a message
    longer than the pipe writes atomically (``PIPE_BUF``) goes in several writes. A
    worker killed between them (by the OOM killer) left half a message there: the pool's
    thread waited for the rest for ever, and the other workers for the lock the dead one
    held, so the run hung instead of finding the worker dead. A short reply is written
    whole or not at all.
    """
    import pickle

    data = pickle.dumps(run_chunk(items, options, None, turn), pickle.HIGHEST_PROTOCOL)
    if len(data) <= _INLINE or spool is None:
        return data
    path = os.path.join(spool, f"{os.getpid()}-{os.urandom(6).hex()}.outcome")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o600)
        try:
            write_all(fd, [data])
        finally:
            os.close(fd)
    except OSError:  # through the pipe then, as long as the temporary folder is unusable
        remove_quietly(Path(path))
        return data
    return path


_STALE_AFTER = 600
"""Seconds a spool folder of a process no longer running must have been left alone
before a run removes it: one whose process only seems gone (another machine of the same
name sharing the folder) is still in use, and a run in use changes its folder often."""


def make_spool() -> str | None:
    """A folder of this run's own, in the temporary folder, for the outcomes too long for
    the workers' pipe (:func:`run_chunk_in_worker`); ``None`` when none can be made (or
    only in the current folder, where ``tempfile`` turns when no other can be written).
    The folders that runs killed on this machine (``kill -9``, the OOM killer) left there
    are removed first: their names hold the machine and the process, which no longer
    runs, and they have not changed for :data:`_STALE_AFTER` seconds."""
    import re
    import shutil
    import tempfile

    host = _host()
    try:
        base = tempfile.gettempdir()
        if base == os.getcwd() and base not in _temporary_folders():
            return None
        if os.name != "nt":  # os.kill(pid, 0) would send Ctrl-C there, not test the process
            stale = re.compile(rf"arnews-spool-{re.escape(host)}-(\d{{1,10}})-\w+")
            before = time.time() - _STALE_AFTER
            for entry in os.scandir(base):
                found = stale.fullmatch(entry.name)
                if found and not _running(int(found[1])) and entry.is_dir(
                    follow_symlinks=False
                ) and entry.stat(follow_symlinks=False).st_mtime < before:
                    shutil.rmtree(entry.path, ignore_errors=True)
        return tempfile.mkdtemp(prefix=f"arnews-spool-{host}-{os.getpid()}-", dir=base)
    except OSError:
        return None


def _temporary_folders() -> set[str]:
    """The folders ``tempfile`` tries before its last resort, the current folder (those
    of Windows aside, where the current folder is not taken for one)."""
    named = [os.environ[key] for key in ("TMPDIR", "TEMP", "TMP") if os.environ.get(key)]
    usual = ["/tmp", "/var/tmp", "/usr/tmp"] if os.name != "nt" else [os.getcwd()]
    return {os.path.abspath(folder) for folder in (*named, *usual)}


def unspool(reply: bytes | str) -> Outcome:
    """The outcome a worker's reply holds or names (:func:`run_chunk_in_worker`)."""
    import pickle

    if isinstance(reply, str):
        path = reply
        try:
            with open(path, "rb") as handle:
                reply = handle.read()
        finally:
            remove_quietly(Path(path))
    outcome: Outcome = pickle.loads(reply)
    return outcome


def _begin(work: _Work, options: Options, clock: _Clock) -> None:
    """Read ``work``'s article, or its finished record when ``--resume`` finds one."""
    item = work.item
    stdin = item.kind == "path" and item.name == STDIN
    if options.output_dir and item.kind == "path":
        work.target = output_target(options.output_dir, item.rel)
        if not stdin and _is_input(work.target, item.name):
            raise ArnewsError("its output file would be the input itself; not processed "
                              "(write the output to another folder)", item.name)
        # what stdin holds this time is not known until it is read: always done again
        if options.resume and not stdin and (
            done := _finished(work.target, options, item.name)
        ):
            work.article, work.finished = done, True
            return
    if stdin:  # waiting for the writer of stdin is not work: read before the clock runs
        from arnews_cli.steps.parse import parse_file

        data = sys.stdin.buffer.read(options.max_bytes + 1)
        work.article = clock.call(work, lambda: parse_file(item.name, options.max_bytes, data))
        return
    if work.target is not None:
        work.stamp = _changed(item.name)
    work.article = clock.call(work, lambda: _load(item, options))
    if options.output_dir and item.kind == "record":
        work.target = output_target(options.output_dir, record_rel(work.article.path))
        if options.resume and (
            done := _finished(work.target, options, work.article.path, work.article)
        ):
            work.article, work.finished = done, True


def _finished(
    target: Path | RemotePath, options: Options, source: str, given: Article | None = None
) -> Article | None:
    """The record ``--resume`` may keep at ``target``: the one this chain would write now.

    It must read as a whole record of ``source``, hold what every stage adds (and its
    companion, ``sentences`` beside ``tokens``), made with the stage's options
    (``tokenize --scheme news`` does not keep simple tokens) and from what the record held
    before it (sources read with quotes only when they came first), and nothing a stage
    outside the chain adds, unless the input record ``given`` (on stdin) holds the same;
    the rest of a record on stdin (its blocks, encoding, keys of other tools) is passed on
    as it is, and the record of a file holds no keys of other tools. A file input that
    changed after it was read for the record, or of another size than its text encoded
    (another file behind a repointed link), or a record whose text differs from
    ``given``'s, is done again; so is anything else (a file cut short or written by
    another program, a record of another input laid out there).
    """
    try:
        # a named pipe or a folder there is no record (and reading a pipe would wait)
        local = local_path(str(target)) if isinstance(target, RemotePath) else str(target)
        there = os.path.isfile(local) if local is not None else target.exists()
        if not there or given is None and _modified_since(source, target):
            return None
        article = load_record(target.read_bytes())
        if not _same_input(article.path, source):
            return None
        if given is None and not _same_size(source, article, options.max_bytes):
            return None
    except (ArnewsError, OSError):
        return None
    if given is None:
        if article.extra:  # no step writes keys of its own into the record of a file
            return None
    elif (article.text, article.encoding, article.blocks, article.extra) != (
        given.text, given.encoding, given.blocks, given.extra
    ):  # what the record on stdin brings is passed on as it is
        return None
    held = {name for name in ADDED_FIELDS
            if given is not None and getattr(given, name) is not None}
    made = set()
    stages = options.stages
    last = {stage.fills: k for k, stage in enumerate(stages) if stage.fills}
    for k, stage in enumerate(stages):
        if not stage.fills:
            continue
        field_made = stage.fills
        made.add(field_made)
        before, held = frozenset(held), held | {field_made}
        if last[field_made] != k:
            continue  # written again by a later stage: that one's is in the record
        if getattr(article, COMPANIONS.get(field_made, field_made)) is None:
            return None
        if getattr(article, field_made) is None:
            if field_made == "tokens" and _on_normalized(stage, before) and "normalized" in {
                s.fills for s in stages[k + 1 :]
            }:
                continue  # a later normalize drops tokens made on the text it replaces
            return None
        if stage.made_by is not None and not stage.made_by(article, before):
            return None
    # normalize drops tokens made on the normalized text it replaces
    droppable = {"tokens"} if "normalized" in made else set()
    made |= {COMPANIONS[name] for name in made if name in COMPANIONS}
    for name in _STEP_FIELDS - made:
        value = getattr(article, name)
        if value != (None if given is None else getattr(given, name)) and not (
            value is None and name in droppable
        ):
            return None
    return article


_STEP_FIELDS = ADDED_FIELDS | set(COMPANIONS.values())


def _on_normalized(stage: Stage, before: AbstractSet[str]) -> bool:
    """Whether ``tokenize``'s ``stage`` makes its tokens on the normalized text, given the
    fields the record holds before it."""
    options = stage.made_by.keywords if isinstance(stage.made_by, partial) else {}
    on = options.get("on", "auto")
    return bool(on == "normalized" or on == "auto" and "normalized" in before)


def _changed(source: str) -> int | None:
    """When the local file ``source`` last changed (ns), by its modification or, if
    later, its change time: a file replaced by an older-dated copy (``cp -p``, ``rsync
    -a``) has an old modification time, but no program can set the change time back.
    ``None`` for other URLs, or when it cannot be read."""
    given = local_path(source)  # file:// URLs too
    if given is None:
        return None
    try:
        st = os.stat(given)
    except OSError:
        return None
    return max(st.st_mtime_ns, st.st_ctime_ns)


def _modified_since(source: str, target: Path | RemotePath) -> bool:
    """Whether the local file ``source`` changed after the record at ``target`` was
    written (either may be a ``file://`` URL; not known for other URLs: ``False``); a
    record of an input that changed while the run worked on it is dated back to before
    (:func:`_date_back_if_changed`)."""
    changed, written = _changed(source), local_path(str(target))
    if changed is None or written is None:
        return False
    try:
        return changed > os.stat(written).st_mtime_ns
    except OSError:
        return False


def _same_size(source: str, article: Article, limit: int = 0) -> bool:
    """Whether the local file ``source`` is as long as ``article``'s text encoded as it
    was read (or longer by what decoding dropped: a second BOM, NUL padding), and no
    longer than ``limit`` bytes (``--max-size``: this run would refuse it); URLs other
    than ``file://`` are not measured: ``True``."""
    path = local_path(source)
    if path is None:
        return True
    try:
        want = len(article.text.encode(article.encoding))
    except (LookupError, UnicodeError, TypeError):  # not an encoding arnews writes
        return False
    size = os.stat(path).st_size
    if limit and size > limit:
        return False
    if size == want:
        return True
    if not 0 < size - want <= 1 << 16:
        return False
    with open(path, "rb") as handle:
        bom = _BOM_SIZES.get(article.encoding, 0)
        head = handle.read(2 * bom)
        if bom and head[:bom] == head[bom:] and head[:bom] in _BOM_BYTES:
            want += bom  # a second BOM, which decoding drops with the first
        handle.seek(want)
        return not handle.read(size - want).strip(b"\x00")


_BOM_SIZES = {name: len(bom) for bom, _, name in BOMS}
_BOM_BYTES = frozenset(bom for bom, _, _ in BOMS)


def _same_input(a: str, b: str) -> bool:
    """Whether a record's ``path`` ``a`` is the input ``b`` as this run names it: spelled
    the same, since the record this run would write holds that spelling (``small/a.txt``
    and ``./small/a.txt`` are one file, but not one record)."""
    return a == record_path(b)


def _run_batch(batch: list[_Work], options: Options, clock: _Clock) -> None:
    """Run every stage over the batch, then serialise (and write) each record."""
    for stage in options.stages:
        if stage.fn is None:
            continue
        for work in batch:
            if not work.finished:
                _attempt(work, options, partial(_step, work, stage, clock))
    for work in batch:
        if not work.finished:
            _attempt(work, options, partial(_serialise, work, clock, options.output_dir))


def _step(work: _Work, stage: Stage, clock: _Clock) -> None:
    article = work.article
    assert article is not None
    work.article = clock.call(work, lambda: apply_stages(article, (stage,)))


_STOPS_THE_RUN = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EROFS") if hasattr(errno, name)
)
"""Write errors no other input can escape: the run stops instead of failing every file."""


_DENIED = frozenset((errno.EACCES, errno.EPERM))


def _closed(output_dir: str | None) -> bool:
    """Whether the local output folder denies writing in it: no input's record can be
    written then (checked up front, but for ``--resume``, which may write nothing)."""
    folder = local_path(output_dir) if output_dir else None
    return folder is not None and os.path.isdir(folder) and not os.access(folder, os.W_OK)


class OutputFailed(Exception):
    """The output cannot be written any more (a full or read-only disk): stop the run."""


def _serialise(work: _Work, clock: _Clock, output_dir: str | None = None) -> None:
    article = work.article
    assert article is not None
    work.data = clock.call(work, lambda: dumps(article))
    target = work.target
    try:
        if isinstance(target, RemotePath):
            target.write_atomic(work.data)
        elif target is not None:
            write_atomic(target, work.data)
    except OSError as exc:
        reason = f"{target}: {exc.strerror or exc}"
        if exc.errno in _STOPS_THE_RUN or exc.errno in _DENIED and _closed(output_dir):
            raise OutputFailed(reason) from None
        raise ArnewsError(f"cannot write {reason}") from None
    if work.stamp is not None and target is not None:
        _date_back_if_changed(work.item.name, work.stamp, target)
    work.finished = True


def _date_back_if_changed(source: str, stamp: int, target: Path | RemotePath) -> None:
    """Give the record at ``target`` the time its input last changed before it was
    read (``stamp``) if the input changed since: the record is of the text as it was
    then, and ``--resume`` must see it as older than the input (by its own write time it
    would look newer). Best effort: a file system that keeps no such times is left as
    it is."""
    changed = _changed(source)
    written = local_path(str(target))
    if changed is not None and changed > stamp and written is not None:
        with contextlib.suppress(OSError):
            os.utime(written, ns=(time.time_ns(), stamp))


def _attempt(work: _Work, options: Options, fn: Callable[[], None]) -> None:
    """Run one piece of ``work``; a failure ends the work and is kept with the reason."""
    try:
        fn()
    except OutputFailed:
        raise
    except StageError as exc:
        if options.debug and not _expected(exc.cause):
            raise exc.cause from exc
        work.failure, work.finished = (_name(work), str(exc)), True
    except Exception as exc:  # noqa: BLE001 - a bug on one input must not stop the batch
        if options.debug and not _expected(exc):
            raise
        work.failure, work.finished = (_name(work), describe(exc)), True


def _name(work: _Work) -> str:
    """How a failure names its input: a record on stdin by its line and, once read, the
    path of its article (``stdin:505 (corpus/a.txt)``)."""
    name = work.item.name
    if work.item.kind != "path" and work.article is not None and work.article.path:
        return f"{name} ({work.article.path})"
    return name


def _expected(exc: BaseException) -> bool:
    """A failure of the input, not of the code (bad input, a time limit): reported in one
    line even with ``--debug``, which shows the traceback of a bug."""
    return isinstance(exc, ArnewsError | TimeoutError)


def _count(
    works: list[_Work], start: int, out: Outcome, rollups: list[Rollup | None],
    options: Options,
) -> int:
    """Account the finished works from ``start`` on, in input order, and let go of their
    articles; the index of the first one still under way."""
    k = start
    while k < len(works) and works[k].finished:
        work = works[k]
        k += 1
        if work.failure is not None:
            out.failures.append(work.failure)
            continue
        article = work.article
        assert article is not None
        work.article = None
        for rollup in rollups:
            if rollup is not None:
                rollup.add(article)
        out.ok += 1
        if work.data is None:
            out.skipped += 1
        elif options.want_records:
            out.records.append(work.data)
        work.data = None
    return k


CHUNK_BYTES = 8 << 20
"""A chunk closes once its inputs hold this many bytes: its records are held until it
ends, so a folder of huge files goes a file or two at a time."""


class Chunk(list[Item]):
    """Items sent to a worker together, with the bytes they bring in (for MB/s)."""

    nbytes: int = 0


def _chunks(items: Iterable[Item], size: int, largest: int | None = None) -> Iterator[Chunk]:
    """Chunks of ``size`` items, each twice the one before up to ``largest``, and no more
    than :data:`CHUNK_BYTES` of input: a short run still gives every worker a chunk soon,
    and a long one runs in large chunks, whose batches keep a step's tables in the CPU's
    caches longer and cost fewer round trips."""
    chunk = Chunk()
    held = 0
    for item in items:
        chunk.append(item)
        held += _input_size(item)
        if len(chunk) >= size or held >= CHUNK_BYTES:
            chunk.nbytes = held
            yield chunk
            chunk, held = Chunk(), 0
            size = min(size * 2, largest or size)
    if chunk:
        chunk.nbytes = held
        yield chunk


def _input_size(item: Item) -> int:
    """The bytes an item brings in (0 when it cannot be known cheaply: URLs, stdin)."""
    if item.kind != "path":
        return len(item.data)
    if is_url(item.name):
        return 0
    try:
        return os.stat(item.name).st_size
    except OSError:
        return 0  # reported when the file is read


def _preload(items: Iterable[Item]) -> None:
    """Import before the workers are forked what each would otherwise import for itself
    (the step that reads files; the other steps' modules are in by then): they share
    this process's copy."""
    if any(item.kind == "path" for item in items):
        import arnews_cli.steps.parse  # noqa: F401


@contextlib.contextmanager
def _out_of_gc_sight() -> Iterator[None]:
    """While the pool forks its workers, this process's objects are out of the garbage
    collector's sight (``gc.freeze``), and stay so in the workers: their collections
    then never write to the objects they share with this process, each write of which
    would copy a page of its memory."""
    import gc

    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()  # here, where nothing is shared


def _start_worker(direct: tuple[Any, int] | None, parent: int) -> None:
    """Workers leave Ctrl-C to the parent, and end cleanly (temporary files removed) when
    the parent terminates them, or dies (``kill -9``: Linux sends them ``SIGTERM``);
    with ``direct`` they write their records themselves."""
    global _direct
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_worker)
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before that took effect
            os._exit(128 + signal.SIGTERM)
    _direct = direct


def _exit_worker(signum: int, frame: Any) -> None:
    """The parent stops this worker (``SIGTERM``): remove the temporary file being
    written, if any, and end at once. (An exception raised to unwind the task could land
    in a ``__del__`` method, which would print it and go on.)"""
    undo = _on_terminate
    if undo is not None:
        with contextlib.suppress(Exception):
            undo()
    os._exit(128 + signum)


def _terminate(executor: Any) -> None:
    """Stop the workers at once: after an interrupt their queues may be locked for good."""
    processes = list(getattr(executor, "_processes", {}).values())
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=2)
        if process.is_alive():
            process.kill()
            process.join(timeout=2)
    # A worker stopped halfway through sending its result leaves the pool's thread waiting
    # for the rest; with the workers gone, closing our end of their pipe ends that wait.
    writer = getattr(getattr(executor, "_result_queue", None), "_writer", None)
    if writer is not None:
        with contextlib.suppress(OSError):
            writer.close()


@dataclass
class Totals:
    """Counts for the end-of-run summary."""

    ok: int = 0
    failed: int = 0
    skipped: int = 0
    nbytes: int = 0
    started: float = field(default_factory=time.perf_counter)


def new_rollups(stages: Iterable[Stage]) -> list[Rollup | None]:
    """An empty roll-up for each stage that has one (``None`` for the others)."""
    return [s.rollup() if s.rollup else None for s in stages]


def absorb(
    outcome: Outcome,
    merged: list[Rollup | None],
    on_failure: Callable[[str, str], None],
    on_progress: Callable[[Outcome], None],
) -> list[bytes]:
    """Report a chunk's failures, merge its partial roll-ups into ``merged``; its records.

    Raises :class:`OSError` when the chunk found that the output can take no more (a
    full disk): the run stops there.
    """
    for name, reason in outcome.failures:
        on_failure(name, reason)
    # an outcome of run_chunk(..., into=merged) carries no roll-ups: nothing to merge
    for mine, theirs in zip(merged, outcome.rollups, strict=bool(outcome.rollups)):
        if mine is not None and theirs is not None:
            mine.merge(theirs)
    on_progress(outcome)
    if outcome.write_error:
        raise OSError(outcome.write_error)
    return outcome.records


def run(
    items: Iterable[Item],
    options: Options,
    jobs: int,
    on_failure: Callable[[str, str], None],
    on_progress: Callable[[Outcome], None] = lambda outcome: None,
    output_fd: int | None = None,
) -> tuple[Iterator[bytes], list[Rollup | None]]:
    """Process ``items`` and return the records (lazily, in input order) and the roll-ups.

    The roll-ups are complete only once the record iterator is exhausted. With
    ``output_fd`` (JSON Lines going to a file descriptor, nothing buffered before it),
    worker processes write the records there themselves, in input order, and the
    iterator yields none.
    """
    merged = new_rollups(options.stages)

    def absorb_one(outcome: Outcome) -> list[bytes]:
        return absorb(outcome, merged, on_failure, on_progress)

    def sequential(chunks: Iterable[list[Item]]) -> Iterator[bytes]:
        for chunk in chunks:
            yield from absorb_one(run_chunk(chunk, options, into=merged))

    def parallel(first: list[Item], rest: Iterator[list[Item]]) -> Iterator[bytes]:
        import multiprocessing
        import shutil
        from concurrent.futures import Future, ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        fork = sys.platform == "linux"
        context = multiprocessing.get_context("fork" if fork else "spawn")
        direct: tuple[Any, int] | None = None
        if fork and output_fd is not None:
            direct = (context.Value("q", 0), output_fd)

        def pool(workers: int) -> ProcessPoolExecutor:
            return ProcessPoolExecutor(workers, mp_context=context,
                                       initializer=partial(_start_worker, direct, os.getpid()))

        if fork:
            _preload(first)
        executor = pool(jobs)
        unforked = True  # a pool forks its workers in its first submit
        pending: deque[tuple[Future[bytes | str], list[Item]]] = deque()
        terminated = False

        def oldest() -> Outcome:
            reply = pending[0][0].result()  # a worker's death leaves its chunk here
            _, chunk = pending.popleft()
            return collect(reply, chunk)

        def collect(reply: bytes | str, chunk: list[Item]) -> Outcome:
            """The outcome a worker's reply holds or names; if its file was removed
            meanwhile (a cleaner of temporary files), the chunk is done again here, unless
            its worker may have written records to the output already."""
            try:
                return unspool(reply)
            except OSError as exc:
                if direct is not None:
                    raise ArnewsError(f"the result of a worker process was lost ({exc}); "
                                      "the run stops") from None
                return run_chunk(chunk, options)

        def drain(limit: int) -> Iterator[bytes]:
            while len(pending) > limit:
                try:
                    outcome = oldest()
                except BrokenProcessPool:
                    if direct is not None:  # it may have died writing, holding the output
                        raise ArnewsError(_died(
                            [item.name for _, chunk in pending for item in chunk])) from None
                    yield from recover()
                    continue
                yield from settle(outcome)

        def recover() -> Iterator[bytes]:
            """After a worker died (out of memory, a crash), which breaks the whole pool:
            keep the chunks that came back, run the inputs of the others one at a time in
            a pool of one worker, so that the input that kills a worker fails alone, then
            go on with a new pool."""
            lost = list(pending)
            pending.clear()
            renew(1)
            folder = local_path(options.output_dir) if options.output_dir else None
            if folder is not None and os.path.isdir(folder):
                remove_stale_temporaries(folder)  # the one the dead worker was writing
            for future, chunk in lost:
                if future.done() and not future.cancelled() and future.exception() is None:
                    yield from settle(collect(future.result(), chunk))
                    continue
                for item in chunk:
                    outcome = Outcome(failures=[(item.name, _KILLED)])
                    for _ in range(3):
                        task = submit([item], None)
                        if task is None:  # the pool broke before it took the input
                            renew(1)
                            continue
                        try:
                            outcome = collect(task.result(), [item])
                        except BrokenProcessPool:  # it died working on this input
                            renew(1)
                        break
                    yield from settle(outcome)
            renew(jobs)

        def renew(workers: int) -> None:
            """A new pool in place of a broken or finished one."""
            nonlocal executor, unforked
            with ctrl_c_held():
                executor.shutdown(wait=True, cancel_futures=True)
                executor = pool(workers)
                unforked = True

        def submit(chunk: list[Item], turn: int | None) -> Future[bytes | str] | None:
            """``chunk`` sent to the pool; ``None`` when the pool is found broken (a worker
            died while this process was busy elsewhere): the chunk never ran."""
            nonlocal unforked
            with ctrl_c_held():  # the pool forks its workers in its first submit
                try:
                    with _out_of_gc_sight() if unforked and fork else contextlib.nullcontext():
                        future = executor.submit(run_chunk_in_worker, spool, chunk, options, turn)
                except BrokenProcessPool:
                    return None
                unforked = False
                return future

        def settle(outcome: Outcome) -> list[bytes]:
            if direct is not None:
                try:
                    _write_or_stop(outcome, *direct)
                except OSError:
                    absorb_one(outcome)  # its failures still count
                    raise
            return absorb_one(outcome)

        spool = make_spool()
        try:
            for turn, chunk in enumerate(_prepend(first, rest)):
                future = submit(chunk, turn if direct else None)
                if future is None:  # taken up by drain, as a chunk a worker died on
                    future = Future[bytes | str]()
                    future.set_exception(BrokenProcessPool("a worker process died"))
                pending.append((future, chunk))
                yield from drain(2 * jobs)
            yield from drain(0)
        except (KeyboardInterrupt, GeneratorExit, OSError):  # OSError: the output failed
            with ctrl_c_held():  # a second Ctrl-C must not cut the clean-up short
                _terminate(executor)
                terminated = True
            raise
        finally:
            with ctrl_c_held():
                if terminated:
                    # the pool finds its workers gone and fails their futures itself; a
                    # future cancelled here would make it raise (InvalidStateError, < 3.12)
                    executor.shutdown(wait=True, cancel_futures=False)
                else:
                    for future, _ in pending:
                        future.cancel()
                    executor.shutdown(wait=True, cancel_futures=True)
                if spool is not None:
                    shutil.rmtree(spool, ignore_errors=True)

    def records() -> Iterator[bytes]:
        chunks = _chunks(items, CHUNK, LARGEST_CHUNK)
        first = next(chunks, Chunk())
        second = next(chunks, None)
        if jobs <= 1 or second is None:
            yield from sequential(_prepend(first, iter([second] if second else [])))
            yield from sequential(chunks)
        else:
            yield from parallel(first, _prepend(second, chunks))

    return records(), merged


_KILLED = "the worker process working on it died (out of memory?)"


def _died(names: list[str]) -> str:
    """Why the run stops when a worker process died: with the inputs it may have been
    working on (those of the chunks sent to the workers and not yet back), so the one
    that killed it can be found."""
    where = ""
    if names:
        span = names[0] if len(names) == 1 else f"{names[0]} … {names[-1]}"
        where = f" working on one of the {len(names)} input(s) in hand ({span})"
    return f"a worker process died (out of memory?){where}; the run stops"


def _write_or_stop(outcome: Outcome, counter: Any, fd: int) -> None:
    """In the parent, in chunk order: write a chunk's records its worker handed back (the
    chunks before it are written by then), or stop when the output's reader is gone."""
    if outcome.broken:
        raise BrokenPipeError
    if outcome.write_error:
        raise OSError(outcome.write_error)
    if outcome.written:
        return
    with counter.get_lock():
        write_all(fd, outcome.records)
        counter.value += 1
    outcome.records = []


def _prepend(first: list[Item], rest: Iterator[list[Item]]) -> Iterator[list[Item]]:
    if first:
        yield first
    yield from rest
