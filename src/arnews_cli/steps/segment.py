"""Clitic segmentation (``tokenize --segment``) through camel-tools' MLE disambiguator.

camel-tools' data (morphology database and MLE model) is a separate download of about
200 MB. Its ``camel_tools.data`` module downloads a catalogue over the network when it
is imported without one, so the data is looked for here first, from the same place
camel-tools uses (``$CAMELTOOLS_DATA``, else ``~/.camel_tools``), and camel-tools is
imported only when everything is there.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from arnews_cli.errors import ArnewsError

INSTALL = "camel_data -i light"


def data_dir() -> Path:
    """Where camel-tools looks for its data."""
    env = os.environ.get("CAMELTOOLS_DATA")
    return Path(env).expanduser().absolute() if env else Path.home() / ".camel_tools"


def check_data() -> tuple[Path, Path]:
    """The MLE model and morphology database camel-tools would load, or a clear error."""
    root = data_dir()
    catalogue = root / "catalogue.json"
    missing = ArnewsError(
        f"--segment needs camel-tools' morphology data, not found in {root}: install it "
        f"with `{INSTALL}` (or set CAMELTOOLS_DATA to where it is)"
    )
    if not catalogue.is_file():
        raise missing
    try:
        components = json.loads(catalogue.read_text(encoding="utf-8"))["components"]
        mle = components["DisambigMLE"]
        name = mle["default"]
        model = root / "data" / mle["datasets"][name]["path"] / "model.json"
        db = root / "data" / components["MorphologyDB"]["datasets"][name]["path"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ArnewsError(f"unreadable camel-tools catalogue {catalogue} ({exc})") from None
    if not model.is_file() or not (db / "morphology.db").is_file():
        raise missing
    return model, db / "morphology.db"


@cache
def _tokenizer(scheme: str) -> Any:
    check_data()
    from camel_tools.disambig.mle import MLEDisambiguator  # type: ignore[import-untyped]
    from camel_tools.tokenizers.morphological import (  # type: ignore[import-untyped]
        MorphologicalTokenizer,
    )

    disambiguator = MLEDisambiguator.pretrained()
    schemes = sorted(disambiguator.tok_feats())
    if scheme not in schemes:
        raise ArnewsError(f"the camel-tools model has no {scheme!r} segmentation; it has {schemes}")
    return MorphologicalTokenizer(disambiguator, scheme=scheme, split=True)


def segment_words(words: list[str], scheme: str) -> list[list[str]]:
    """The clitic segments of each word (a word camel-tools cannot analyse stays whole)."""
    tokenizer = _tokenizer(scheme)
    seen: dict[str, list[str]] = {}
    out = []
    for word in words:
        segments = seen.get(word)
        if segments is None:
            segments = seen[word] = list(tokenizer.tokenize([word]))
        out.append(segments)
    return out
