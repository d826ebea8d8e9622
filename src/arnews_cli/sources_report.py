"""Writing the sources roll-up once a run is done: JSON, CSV, or tables.

See :mod:`arnews_cli.steps.rollup` for what the roll-up holds and where it goes.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from arnews_cli.errors import ArnewsError
from arnews_cli.steps.rollup import SourceRollup


def finish_sources(
    json_path: str | None,
    csv_path: str | None,
    top: int,
    rollup: SourceRollup,
    session: Any,
) -> None:
    """Write ``--rollup``/``--rollup-csv`` files and show the tables where they belong.

    Tables go to stdout after the articles when stdout is a terminal view
    (``--format table``/``text``), otherwise to stderr when it is a terminal (unless
    ``--quiet``): JSON Lines and JSON on stdout stay records only.
    """
    from arnews_cli.output import resolve_format
    from arnews_cli.render import render_source_rollup

    data = rollup.to_dict(top)
    wrote_stdout = False
    for path, kind in ((json_path, "json"), (csv_path, "csv")):
        if path is None:
            continue
        content = _json(_with_failures(rollup.to_dict(), session.failures.count)) \
            if kind == "json" else rollup.to_csv()
        if path == "-":
            sys.stdout.write(content)
            sys.stdout.flush()
            wrote_stdout = True
            continue
        _not_a_record(path, session.output_dir)
        try:
            _write(path, content.encode("utf-8"))
        except OSError as exc:
            raise ArnewsError(f"cannot write the roll-up: {exc.strerror}", path) from None
    fmt = resolve_format(session.fmt)
    if fmt in ("table", "text") and not wrote_stdout:
        render_source_rollup(data, plain=fmt == "text")
    elif not session.quiet and sys.stderr.isatty():
        render_source_rollup(data, plain=False, err=True)


def _with_failures(data: dict[str, Any], failed: int) -> dict[str, Any]:
    """The roll-up's JSON with ``inputs_failed`` after ``articles``: the inputs of the run
    that it does not cover, so that a reader knows it is not the whole folder."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        out[key] = value
        if key == "articles":
            out["inputs_failed"] = failed
    return out


def _not_a_record(path: str, output_dir: str | None) -> None:
    """Refuse to write a roll-up over an article's record in the output folder (named
    like the roll-up, an input's record is only known once the run has made it)."""
    from arnews_cli.storage import is_within, local_path

    folder = local_path(output_dir) if output_dir else None
    if folder is None or not os.path.isfile(path) or not is_within(path, folder):
        return
    from arnews_cli.io import load_record

    try:
        with open(path, "rb") as handle:
            load_record(handle.read())
    except (OSError, ArnewsError):
        return  # not a record: an earlier roll-up, say
    raise ArnewsError("is the record of an article in the output folder; "
                      "the roll-up was not written over it (give another name)", path)


def _write(path: str, data: bytes) -> None:
    """Write a roll-up file whole or not at all: a file (new, or one there already, also
    through a symbolic link) through a temporary file and a rename, so that a full disk
    or a stop leaves the previous roll-up intact. A pipe or device (``/dev/stdout``,
    ``>(…)``), or a file in a folder that only lets it be rewritten, is written as it is."""
    from pathlib import Path

    from arnews_cli.runner import write_atomic

    if os.path.exists(path) and not os.path.isfile(path):
        _write_in_place(path, data)
        return
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    if os.path.isfile(target) and not os.access(folder, os.W_OK | os.X_OK):
        _write_in_place(target, data)  # no temporary file can be made beside it
        return
    write_atomic(Path(target), data)  # makes its folder: one inside --output-dir


def _write_in_place(path: str, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)


def _json(data: dict[str, Any]) -> str:
    import orjson

    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
