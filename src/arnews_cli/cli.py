"""The ``arnews`` command: a chain of subcommands over a stream of articles.

Each subcommand returns a function over the article stream; the result callback folds
them in order and writes the stream once (Click's ``chain=True`` processor pattern).
Subcommand bodies import their step lazily so ``arnews --help`` stays fast.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, NoReturn

import click
from click.core import ParameterSource

from arnews_cli import __version__
from arnews_cli.article import Article
from arnews_cli.errors import ArnewsError
from arnews_cli.pipeline import Failures, Rollup, Stage

FORMATS = ("auto", "jsonl", "json", "table", "text")
if TYPE_CHECKING:
    from arnews_cli.runner import Item

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@dataclass
class Session:
    """What the group's options decide for every subcommand of one run."""

    fmt: str
    quiet: bool
    debug: bool
    failures: Failures
    jobs: int = 1
    output_dir: str | None = None
    resume: bool = False
    timeout: float = 0.0
    engine: str = "local"
    scheduler: str | None = None
    progress: bool | None = None  # --progress/--no-progress; None: decide by the output
    label: str = "arnews"  # what the run's own lines start with

    def warn(self, message: str) -> None:
        _say(f"{self.label}: {message}")


def _say(line: str) -> None:
    """Print one line on stderr. On a terminal it first clears the line the cursor is
    on: another arnews of the same shell pipeline may be drawing its progress line
    there, which would otherwise keep the end of this one."""
    try:
        clear = sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError, OSError):  # closed or replaced
        clear = False
    click.echo(f"\r\x1b[2K{line}" if clear else line, err=True)


@dataclass(frozen=True)
class Source:
    """The first command of a chain: the article files to read."""

    paths: tuple[str, ...]
    pattern: str
    max_bytes: int


class ArnewsGroup(click.Group):
    """A chaining group whose commands are listed in pipeline order, not alphabetically
    (``view``, which only shows records, comes last)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.commands, key=lambda name: name == "view")

    # Ctrl-C at any moment exits 130: Click would print 'Aborted!' and exit 1 outside the
    # stretch :func:`run` handles itself (reading the options, importing a step)
    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt as exc:
            _interrupted(exc)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:
            _interrupted(exc)


def _interrupted(exc: KeyboardInterrupt) -> NoReturn:
    from arnews_cli.interrupts import ignore_stops, stop_status, stop_word

    ignore_stops()
    ctx = click.get_current_context(silent=True)
    session = ctx.find_object(Session) if ctx is not None else None
    _say(f"{session.label if session else 'arnews'}: {stop_word(exc)}")
    raise SystemExit(stop_status(exc))


class PathsCommand(click.Command):
    """A command taking ``PATH...`` that stops at the next subcommand's name.

    In a chain, ``arnews parse a.txt b/ normalize`` must hand ``normalize`` back to the
    group; a file really named like a command can be written ``./normalize``. Options
    may come after the paths (``parse corpus/ --pattern '*.md'``), as in a command of
    its own (a chain reads them before the first path only); a file whose name starts
    with ``-`` is a path when it exists, and after ``--`` in any case.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        names = set(ctx.parent.command.commands) if ctx.parent else set()  # type: ignore[attr-defined]
        cut = next((i for i, a in enumerate(args) if a in names), len(args))
        _check_misspelt_commands(args[:cut], names)
        super().parse_args(ctx, self._options_first(ctx, args[:cut]))
        ctx.args = [*ctx.args, *args[cut:]]
        return ctx.args

    def _options_first(self, ctx: click.Context, args: list[str]) -> list[str]:
        """``args`` with the options in front and the paths after ``--``."""
        takes_value: dict[str, bool] = {}
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                for name in (*param.opts, *param.secondary_opts):
                    takes_value[name] = not param.is_flag and not param.count
        options: list[str] = []
        paths: list[str] = []
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                paths.extend(args[i + 1 :])
                break
            name = arg.split("=", 1)[0]
            if arg in takes_value and takes_value[arg]:
                if i + 1 == len(args):
                    raise click.UsageError(f"Option '{arg}' requires an argument.", ctx)
                options.extend(args[i : i + 2])
                i += 2
                continue
            if name in takes_value or (arg.startswith("-") and arg != "-"
                                       and not os.path.exists(arg)):
                options.append(arg)  # a flag, --name=value, or an unknown option
            else:
                paths.append(arg)
            i += 1
        return [*options, "--", *paths]


def _check_misspelt_commands(args: list[str], names: set[str]) -> None:
    """``parse seeds/ extract-quote``: a missing path spelt almost like a command is a
    typo in the chain, not an input (run without the step, it would look like a success
    with one bad file)."""
    import difflib

    for arg in args:
        if arg.startswith("-") or os.path.exists(arg):
            continue
        close = difflib.get_close_matches(arg, sorted(names), n=1, cutoff=0.8)
        if close:
            raise click.UsageError(f"no such file or command {arg!r}; did you mean {close[0]!r}?")


_LONGEST_LIMIT = 1e8
"""Seconds (three years) above which a time limit means none: the system timers
overflow long before infinity."""


def _time_limit(_ctx: click.Context, _param: click.Parameter, seconds: float) -> float:
    if math.isnan(seconds):
        raise click.BadParameter("not a number of seconds", param_hint="'--timeout'")
    return 0.0 if seconds > _LONGEST_LIMIT else seconds


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from arnews_cli.build import describe_build

    click.echo(f"arnews, version {__version__} ({describe_build()})")
    ctx.exit()


def session() -> Session:
    obj = click.get_current_context().find_root().obj
    assert isinstance(obj, Session)
    return obj


def article_step(
    name: str,
    fn: Callable[[Article], Article] | None,
    rollup: Callable[[], Rollup] | None = None,
    finish: Callable[[Any, Session], None] | None = None,
    made_by: Callable[[Article, AbstractSet[str]], bool] | None = None,
    writes: tuple[str, ...] = (),
) -> Stage:
    """A subcommand's stage: ``fn`` and ``made_by`` must be picklable (see :class:`Stage`)."""
    return Stage(name, fn, rollup, finish, made_by, writes)


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
@click.option("--progress/--no-progress", default=None,
              help="Draw the progress line on a terminal's stderr, or not. By default it is "
              "drawn when the records go to a file or --output-dir, not to a pipe (in a "
              "pipeline of arnews commands, the last one draws it).")
@click.option(
    "--debug/--no-debug", default=False, help="Stop at an internal error and show its traceback."
)
@click.option("-j", "--jobs", type=click.IntRange(0), default=0, show_default="all cores",
              help="Worker processes (0: one per core); 1 runs everything in this process.")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False),
              help="Write one JSON file per input under DIR (mirroring the input tree, each "
              "written atomically) instead of records on stdout.")
@click.option("--resume/--no-resume", default=False,
              help="With --output-dir: skip inputs whose output file already holds the "
              "record this chain, with these options, makes of them (and is newer than "
              "the input file).")
@click.option("--timeout", type=click.FloatRange(0), default=60.0, show_default=True,
              callback=_time_limit,
              help="Seconds allowed per input before it is reported as failed (0 or inf: no "
              "limit).")
@click.option("--engine", type=click.Choice(("local", "dask")), default="local",
              show_default=True, help="Run the chain in worker processes here, or on a Dask "
              "cluster (pip install 'arnews-cli[dask]').")
@click.option("--scheduler", metavar="ADDRESS", envvar="DASK_SCHEDULER_ADDRESS", show_envvar=True,
              help="With --engine dask: the scheduler, e.g. tcp://host:8786 (else Dask's "
              "'scheduler-address' setting, else a local cluster of -j workers).")
@click.option("-V", "--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_show_version,
              help="Show the version and the build (interpreted or compiled) and exit.")
@click.pass_context
def cli(ctx: click.Context, fmt: str, quiet: bool, progress: bool | None, debug: bool,
        jobs: int, output_dir: str | None, resume: bool, timeout: float, engine: str,
        scheduler: str | None) -> None:
    """Analyse Arabic news articles: who said what, and on whose word.

    Subcommands chain like a pipeline. A chain that starts with `parse` reads article
    files; any other chain reads JSON Lines articles from stdin, so the same work can
    run in one process or across several.

    \b
    Examples:
      arnews parse seeds/ extract-quotes summarize-sources
      arnews parse corpus/ | arnews normalize | arnews tokenize > out.jsonl
      arnews --format jsonl parse article.txt normalize tokenize

    Exit status: 0 all inputs processed, 1 some input failed, 2 usage error,
    130 interrupted, 143 terminated.
    """
    if resume and not output_dir:
        raise click.UsageError("--resume needs --output-dir.")
    if engine != "dask" and ctx.get_parameter_source("scheduler") is ParameterSource.COMMANDLINE:
        raise click.UsageError("--scheduler needs --engine dask.")
    ctx.obj = Session(
        fmt, quiet, debug, Failures(report=_report, debug=debug),
        jobs=jobs or os.cpu_count() or 1, output_dir=output_dir, resume=resume, timeout=timeout,
        engine=engine, scheduler=scheduler, progress=progress,
    )


def _report(message: str) -> None:
    _say(f"arnews: {message}")


@cli.result_callback()
@click.pass_context
def run(ctx: click.Context, /, results: Sequence[Source | Stage], **_: Any) -> None:
    """Run the chain over every input and write the records once."""
    from arnews_cli.interrupts import (
        ctrl_c_held,
        ignore_stops,
        stop_status,
        stop_word,
        take_stops,
    )

    take_stops()  # kill PID: stop the workers and clean up, as on Ctrl-C
    with ctrl_c_held():  # orjson (imported by these) crashes if Ctrl-C lands in its set-up
        from arnews_cli.output import write_output
        from arnews_cli.progress import Progress
        from arnews_cli.runner import Options, run

    s: Session = ctx.obj
    if any(isinstance(r, Source) for r in results[1:]):
        raise click.UsageError("'parse' can only be the first command of a chain.")
    stages = tuple(r for r in results if isinstance(r, Stage))
    first = results[0] if results else None
    items = _items(first, s) if isinstance(first, Source) else _stdin_items(s)
    jobs = 1 if isinstance(first, Source) and "-" in first.paths else s.jobs
    if s.engine == "dask" and isinstance(first, Source) and "-" in first.paths:
        raise click.UsageError("--engine dask reads files or URLs, not article text on stdin.")
    if isinstance(first, Source):
        for stage in stages:
            for path in stage.writes:
                _check_not_an_input(path, first, s.output_dir)
    reads_stdin = not isinstance(first, Source) or "-" in first.paths
    if reads_stdin and sys.stdin is None:  # started with stdin closed (<&-)
        raise click.ClickException(
            "standard input is closed: nothing to read "
            + ("for '-'" if isinstance(first, Source) else "(JSON Lines records, or use parse)"))
    if s.output_dir is not None:
        # checked here when the workers share this machine's disk (not a remote cluster's);
        # a resumed run may have nothing to write: a read-only folder is no error then
        if s.engine == "local" or s.scheduler is None:
            _check_output_dir(s.output_dir, writable=not s.resume)
            from arnews_cli.storage import local_path

            if s.resume and (folder := local_path(s.output_dir)) is not None:
                from arnews_cli.runner import remove_stale_temporaries

                remove_stale_temporaries(folder)  # of a run killed before this one
    elif sys.stdout is None:  # started with stdout closed (>&-)
        raise click.ClickException("standard output is closed: nowhere to write the records "
                                   "(redirect it, or use --output-dir)")
    options = Options(
        stages, first.max_bytes if isinstance(first, Source) else 0, s.output_dir, s.resume,
        s.timeout, want_records=s.output_dir is None, debug=s.debug,
    )
    on_terminal = s.output_dir is None and _stdout_is_tty()
    piped_out = s.output_dir is None and _is_pipe(sys.stdout)
    if piped_out or reads_stdin and _is_pipe(sys.stdin):  # one command of a pipeline
        names = ["parse"] * isinstance(first, Source) + [stage.name for stage in stages]
        s.label = " ".join(["arnews", *names])
    # The line shows where the records are going to a file or folder: in a pipeline
    # (arnews parse … | arnews extract-quotes > out) only the last command draws it, as
    # two lines redrawn on one terminal overwrite each other, and `| head` or a later
    # command printing records would land inside it. Never over what is being typed.
    line = s.progress if s.progress is not None else not piped_out
    typing = reads_stdin and sys.stdin.isatty()
    with Progress(line and not s.quiet and not typing, _report,
                  records_on_terminal=on_terminal) as progress:
        s.failures.report = progress.report  # above the progress line, and counted
        failed = s.failures.add
        if s.engine == "dask":
            from arnews_cli.dask_engine import run as run_on_dask

            records, rollups = run_on_dask(
                items, options, jobs, failed, progress.advance, s.scheduler
            )
        else:
            records, rollups = run(items, options, jobs, failed, progress.advance,
                                   _output_fd(s.fmt) if options.want_records else None)
        try:
            if s.output_dir is None:
                write_output(records, s.fmt)
            else:  # the records are in the files: stdout stays empty (or closed)
                for _record in records:
                    pass
            progress.stop()  # the roll-up tables and messages go below, not into the line
            for stage, rollup in zip(stages, rollups, strict=True):
                if stage.finish is not None:
                    stage.finish(rollup, s)
        except BrokenPipeError:
            _silence_stdout()
            ctx.exit(1 if s.failures.count else 0)
        except OSError as exc:  # a full disk, a closed descriptor
            _close(records)
            raise click.ClickException(
                f"cannot write the output: {exc.strerror or exc}") from None
        except KeyboardInterrupt as exc:
            ignore_stops()
            _close(records)
            progress.stop()
            how = stop_word(exc)
            s.warn(f"{how}; files already written are complete" if s.output_dir else how)
            ctx.exit(stop_status(exc))
        except ArnewsError as exc:
            _close(records)
            if s.debug:
                raise
            raise click.ClickException(str(exc)) from None
        except Exception:  # a bug: stop the workers now, not in a finalizer at exit
            _close(records)
            raise
    if not s.quiet and (s.output_dir or sys.stderr.isatty()):
        s.warn(progress.summary())
    if s.failures.count:
        if not s.quiet:
            s.warn(f"{s.failures.count} input(s) failed")
        ctx.exit(1)


def _is_pipe(stream: IO[Any]) -> bool:
    """Whether ``stream`` reads from a pipe (or a socket), not a file or a terminal."""
    import stat

    try:
        mode = os.fstat(stream.fileno()).st_mode
    except (ValueError, OSError, AttributeError):  # closed, or no descriptor (a test's)
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _stdout_is_tty() -> bool:
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except (ValueError, OSError):  # closed or detached
        return False


def _check_output_dir(folder: str, writable: bool = True) -> None:
    """Stop before any work when ``--output-dir`` cannot be created (or written to)."""
    from arnews_cli.storage import local_path

    given, local = folder, local_path(folder)
    if local is None:
        return  # a URL of other storage: checked by the first write
    folder = local  # a file:// URL is this folder
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if os.path.islink(folder) and not os.path.exists(folder):
            reason = f"a broken symbolic link (to {os.readlink(folder)})"
        elif os.path.exists(folder) and not os.path.isdir(folder):
            reason = "not a folder"
        raise click.ClickException(
            f"cannot create the output folder {given}: {reason}") from None
    if writable and not os.access(folder, os.W_OK | os.X_OK):
        raise click.ClickException(f"cannot write to the output folder {given}: "
                                   "permission denied")


def _check_not_an_input(path: str, source: Source, output_dir: str | None) -> None:
    """Refuse a roll-up file that is one of the run's inputs: written at the end, it
    would replace that article (checked by name before the run; the file need not exist
    yet, but then it is no input either). The output folder is never read as input."""
    import fnmatch

    from arnews_cli.storage import is_within, local_path

    if not os.path.isfile(path):
        return
    where = os.path.realpath(path)
    out = local_path(output_dir) if output_dir else None
    if out and is_within(where, out):
        return
    for given in source.paths:
        local = local_path(given) if given != "-" else None
        if local is None:
            continue
        if os.path.isfile(local) and os.path.samefile(local, where):
            raise click.UsageError(f"{path}: this roll-up file is an input of the run "
                                   "(it would be written over): give another.")
        if os.path.isdir(local) and is_within(where, local):
            inside = os.path.relpath(where, os.path.realpath(local))
            if fnmatch.fnmatchcase(os.path.basename(where), source.pattern) and not any(
                part.startswith(".") for part in inside.split(os.sep)
            ):
                raise click.UsageError(
                    f"{path}: this roll-up file is an input of the run, in {given} "
                    "(it would be written over): give another."
                )


def _one_file(a: str, b: str) -> bool:
    """Whether paths ``a`` and ``b`` name one regular file (or one file to be made)."""
    if os.path.abspath(a) == os.path.abspath(b):
        return True
    return os.path.isfile(a) and os.path.isfile(b) and os.path.samefile(a, b)


def _local_file(option: str, path: str | None) -> str | None:
    """A roll-up file as a local path: a ``file://`` URL is its path; other URLs are
    refused (a roll-up is written once, at the end, to this machine)."""
    from arnews_cli.storage import is_url, local_path

    if path is None or not is_url(path):
        return path
    local = local_path(path)
    if local is None:
        raise click.BadParameter(f"{path}: a roll-up is written to a local file (or '-'), "
                                 "not to a URL", param_hint=option)
    return local


def _check_writable_file(option: str, path: str, output_dir: str | None) -> None:
    """Usage error unless ``path`` can be written: it is writable (a file, a pipe, a
    device), or its folder exists and takes new files, or is the ``--output-dir`` the
    run will make (or inside it)."""
    if os.path.exists(path):
        if not os.access(path, os.W_OK):
            raise click.BadParameter(f"{path}: not writable", param_hint=option)
        return
    folder = os.path.dirname(path) or "."
    if os.path.isdir(folder):
        if not os.access(folder, os.W_OK | os.X_OK):
            raise click.BadParameter(f"{path}: cannot write in {folder}", param_hint=option)
        return
    from arnews_cli.storage import local_path

    out = local_path(output_dir) if output_dir is not None else None
    if out is not None:
        made = os.path.normpath(os.path.abspath(out))
        here = os.path.normpath(os.path.abspath(folder))
        if here == made or here.startswith(made + os.sep):
            return  # made with the output folder, before the roll-up is written
    raise click.BadParameter(f"{path}: no folder {folder}", param_hint=option)


def _items(source: Source, s: Session) -> Iterator[Item]:
    from arnews_cli.io import expand_paths
    from arnews_cli.runner import Item

    if "-" in source.paths and sys.stdin.isatty() and not s.quiet:
        s.warn("reading article text from stdin (Ctrl-D to end)")
    distinct = s.output_dir is not None  # one output file per input: names must not clash
    for path, rel in expand_paths(source.paths, s.failures, source.pattern, distinct,
                                  s.output_dir):
        yield Item("path", path, rel=rel)


def _stdin_items(s: Session) -> Iterator[Item]:
    from arnews_cli.runner import Item

    if sys.stdin.isatty() and not s.quiet:
        s.warn("reading JSON Lines articles from stdin (Ctrl-D to end; 'arnews parse' reads files)")
    import arnews_cli.io as records

    first = True
    stream = sys.stdin.buffer
    number = 0
    while line := stream.readline(records.MAX_RECORD_BYTES + 1):
        number += 1
        if len(line) > records.MAX_RECORD_BYTES and not line.endswith(b"\n"):
            size = records.in_units(records.MAX_RECORD_BYTES)
            s.failures.add(f"stdin:{number}", f"a record longer than {size}; not read")
            while line and not line.endswith(b"\n"):  # let the rest go by, unkept
                line = stream.readline(1 << 20)
            continue
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):  # a file saved with a BOM
            line = line[3:]
        if not line.strip():
            continue
        if first and (line.lstrip().startswith(b"[") or line.strip() == b"{"):
            # --format json output, or records pretty-printed: every line would fail
            s.failures.add(f"stdin:{number}", "a JSON array or pretty-printed JSON, not JSON "
                           "Lines (one record per line); convert it with jq -c '.[]' or "
                           "jq -c .")
            return
        first = False
        yield Item("record", f"stdin:{number}", data=line)


def _output_fd(fmt: str) -> int | None:
    """The descriptor workers may write JSON Lines to directly: stdout's, when the output
    is JSON Lines and stdout is a real file or pipe (flushed first)."""
    from arnews_cli.output import resolve_format

    if resolve_format(fmt) != "jsonl":
        return None
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return None  # captured output (tests, notebooks)
    sys.stdout.flush()
    return fd


def _close(records: Iterable[bytes]) -> None:
    """Stop the workers behind a record stream now rather than at interpreter exit."""
    close = getattr(records, "close", None)
    if close is not None:
        close()


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
    order), a URL of either (s3://bucket/dir, file:///data; needs fsspec, and s3fs
    for s3://) or '-' for raw text on stdin. Blocks: headline, dateline, byline, caption,
    subheading, paragraph, credit, boilerplate; each with offsets into the text.

    \b
    Example:
      arnews --format jsonl parse seeds/000_9eba523b984c4cfc.txt
      arnews parse seeds/ | jq -r '.blocks[] | select(.kind=="headline") | .text'
    """
    if not paths:
        raise click.UsageError("parse needs at least one PATH (a file, a directory, or '-').")
    return Source(paths, pattern, max_mb * 1024 * 1024)


@cli.command()
def view() -> Stage:
    """Show articles read from JSON Lines on stdin, unchanged.

    Useful to look at saved results on a terminal, or to check a JSON Lines file:
    every record is validated and written back in the chosen --format.

    \b
    Example:
      arnews parse seeds/ > parsed.jsonl
      arnews --format text view < parsed.jsonl
    """
    return article_step("view", None)


_STEP_SWITCHES = (
    ("controls", "Delete invisible format characters: ZWSP, ZWNJ, ZWJ, LRM, RLM, ALM, bidi "
     "embeddings and isolates, word joiner, soft hyphen, BOM."),
    ("unicode", "camel-tools normalize_unicode: NFKC (presentation forms and ligatures to "
     "letters, NBSP to space, full-width to ASCII) after spelling out ﷼ and ﷽."),
    ("arclean", "camel-tools arclean map: keep Arabic letters, ASCII and Latin-1, map Arabic "
     "digits, punctuation and Persian letters to plain ones, delete everything else."),
    ("tatweel", "Delete tatweel (ـ)."),
    ("diacritics", "camel-tools dediac_ar: delete harakat, tanween, shadda, sukun, dagger alef."),
    ("alef", "camel-tools normalize_alef_ar: أ إ آ ٱ to ا."),
    ("maksura", "camel-tools normalize_alef_maksura_ar: ى to ي."),
    ("teh", "camel-tools normalize_teh_marbuta_ar: ة to ه."),
    ("spaces", "Runs of spaces, tabs, NBSP and other space separators to one space "
     "(line breaks kept)."),
)


def _step_switches(fn: Callable[..., Any]) -> Callable[..., Any]:
    for name, text in reversed(_STEP_SWITCHES):
        fn = click.option(f"--{name}/--no-{name}", default=None, help=text)(fn)
    return fn


@cli.command()
@click.option("--profile", type=click.Choice(("minimal", "default", "search")),
              default="default", show_default=True,
              help="Which steps run unless switched explicitly (see the table above).")
@_step_switches
@click.option("--digits", type=click.Choice(("keep", "ascii", "arabic")), default=None,
              help="Digits: keep, ASCII (٠-٩ ۰-۹ to 0-9) or Arabic-Indic (0-9 ۰-۹ to ٠-٩).")
@click.option("--punct", type=click.Choice(("keep", "latin", "arabic")), default=None,
              help="Comma, semicolon, question mark: keep, Latin (، ؛ ؟ to , ; ?) or Arabic.")
def normalize(profile: str, **steps: Any) -> Stage:
    """Normalize Arabic orthography, keeping a map back to the original text.

    Adds `normalized` = {text, map, steps}: the normalized text, breakpoints [[n, o], …]
    (normalized offset x comes from original offset o + x - n of the last breakpoint with
    n <= x) and the steps that ran (tokens made on an earlier normalized text are
    dropped: tokenize again). Steps run in the order below; --x/--no-x switches one
    on or off whatever the profile. Steps named after camel-tools functions give exactly
    their output.

    \b
    step         minimal  default  search
    controls     on       on       on
    unicode      -        on       on
    arclean      -        -        -
    tatweel      -        on       on
    diacritics   -        -        on
    alef         -        -        on
    maksura      -        -        on
    teh          -        -        on
    digits       keep     keep     ascii
    punct        keep     keep     latin
    spaces       on       on       on

    \b
    Example:
      arnews parse seeds/ normalize --profile search
      arnews parse article.txt normalize --diacritics --digits ascii
    """
    from functools import partial

    from arnews_cli.steps.normalize import made_with, normalize_article, profile_options

    options = profile_options(profile, **steps)
    return article_step("normalize", partial(normalize_article, options=options),
                        made_by=partial(made_with, options=options))


@cli.command()
@click.option("--scheme", type=click.Choice(("simple", "news")), default="simple",
              show_default=True,
              help="simple: exactly camel-tools simple_word_tokenize; news: also keeps decimal "
              "numbers, dates, times, URLs, e-mails, hashtags and mentions whole.")
@click.option("--on", "on", type=click.Choice(("auto", "text", "normalized")), default="auto",
              show_default=True,
              help="Tokenize the original text or normalized.text (auto: normalized when the "
              "record went through normalize).")
@click.option("--segment", type=click.Choice(
    ("d3tok", "d3seg", "atbtok", "atbseg", "d2tok", "d2seg", "d1tok", "d1seg", "bwtok")),
    help="Also split clitics with camel-tools' MLE disambiguator in this scheme "
    "(needs camel-tools data: camel_data -i light).")
def tokenize(scheme: str, on: str, segment: str | None) -> Stage:
    """Split articles into sentences and word tokens.

    Adds `sentences` [{start, end}] (original offsets; never across a block or line
    break; not inside a quotation that goes on, after initials such as د. or inside
    numbers and URLs) and `tokens`, columns {scheme, on, start, end, sentence} (+
    nstart/nend into normalized.text with --on normalized, + segment and segments with --segment):
    token i is text[start[i]:end[i]].

    \b
    Example:
      arnews parse seeds/ tokenize --scheme news
      arnews parse seeds/ normalize --profile search tokenize --segment d3tok
    """
    from functools import partial

    from arnews_cli.steps.tokenize import made_with, tokenize_article

    if segment is not None:
        from arnews_cli.steps.segment import check_data

        try:
            check_data()
        except ArnewsError as exc:
            raise click.ClickException(str(exc)) from None
    return article_step(
        "tokenize", partial(tokenize_article, scheme=scheme, on=on, segment=segment),
        made_by=partial(made_with, scheme=scheme, on=on, segment=segment),
    )


@cli.command("extract-quotes")
def extract_quotes() -> Stage:
    """Find who said what: direct, indirect and mixed quotes with cue and speaker.

    Adds `quotes`: each with kind, content span, cue span (قال، أكدت، وأضاف، بحسب …,
    or ':' in a headline `X: …`), speaker span (resolved=true when it is the earlier
    speaker a pronoun-subject cue such as وأضاف refers to, null when impersonal) and
    `via` (the outlet that relays it: نقلت وكالة رويترز عن …). Offsets are into `text`.

    \b
    Example:
      arnews parse seeds/ extract-quotes
      arnews --format text parse article.txt extract-quotes
    """
    from arnews_cli.steps.quotes import extract_quotes as fn

    return article_step("extract-quotes", fn)


@cli.command("summarize-sources")
@click.option("--rollup", "json_path", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the roll-up over all articles as one JSON object to FILE "
              "('-': stdout, with --output-dir).")
@click.option("--rollup-csv", "csv_path", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the roll-up as CSV (section,key,value) to FILE.")
@click.option("--top", type=click.IntRange(1), default=15, show_default=True,
              help="Rows in each ranked table of the roll-up.")
def summarize_sources(json_path: str | None, csv_path: str | None, top: int) -> Stage:
    """List who each article cites: agencies, outlets, officials, unnamed sources.

    Adds `sources` (one entry per entity: type, anonymity and its stated reason,
    count, roles cited/no_response/credit, mentions, quotes, relays) and
    `source_summary`. Uses `quotes` from extract-quotes when present. Over many
    articles it also builds a roll-up (most cited sources, anonymous sourcing,
    agencies, non-responses, credit outlets): tables on a terminal, JSON or CSV
    with --rollup/--rollup-csv; JSON Lines on stdout stay per-article.

    \b
    Example:
      arnews parse corpus/ extract-quotes summarize-sources --rollup-csv sources.csv
      arnews -o out/ parse corpus/ extract-quotes summarize-sources --rollup -
    """
    from functools import partial

    from arnews_cli.sources_report import finish_sources
    from arnews_cli.steps.rollup import SourceRollup
    from arnews_cli.steps.sources import made_with
    from arnews_cli.steps.sources import summarize_sources as fn

    s = session()
    json_path = _local_file("--rollup", json_path)
    csv_path = _local_file("--rollup-csv", csv_path)
    if "-" in (json_path, csv_path) and s.output_dir is None:
        raise click.UsageError(
            "--rollup - and --rollup-csv - need --output-dir (stdout carries the records)."
        )
    if "-" in (json_path, csv_path) and sys.stdout is None:
        raise click.ClickException("standard output is closed: nowhere to write the roll-up")
    if json_path and csv_path and (json_path == csv_path == "-" or "-" not in (
        json_path, csv_path
    ) and _one_file(json_path, csv_path)):
        raise click.UsageError("--rollup and --rollup-csv name the same file: give two.")
    for option, path in (("--rollup", json_path), ("--rollup-csv", csv_path)):
        if path not in (None, "-"):
            _check_writable_file(option, path, s.output_dir)  # before the run, not after
    return article_step(
        "summarize-sources", fn, SourceRollup, partial(finish_sources, json_path, csv_path, top),
        made_by=made_with, writes=tuple(p for p in (json_path, csv_path) if p not in (None, "-")),
    )
