"""Hypothesis strategies for Arabic-heavy text with the characters that break normalizers."""

from __future__ import annotations

from hypothesis import strategies as st

LETTERS = [chr(c) for c in range(0x0621, 0x064B)] + list("پچژکگی")
MARKS = [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670", "\u06e1", "\u0610"]
PRESENTATION = [chr(c) for c in (*range(0xFE70, 0xFEFD), *range(0xFB50, 0xFB60))] + list(
    "ﷲﷺ﷼﷽ﻻﻷﻹﻵﷻ"
)
DIGITS = list("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")
PUNCT = list(".,;:?!،؛؟«»\"'()[]-–—…/%٪٫٬#@_*⁋")
SPACES = [" ", " ", " ", "\n", "\t", "\u00a0", "\u202f", "\u3000", "\u2009"]
CONTROLS = list("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067"
                "\u2068\u2069\ufeff\u061c\u00ad\u2060")
OTHER = list("abcXYZéàüßﬁ²½Å\u0301\u0308ｱＡ") + [
    "\U0001f600", "\U0001f44d", "\U0001f3fb", "\ufe0f", "\u20e3", "\U0001f1f8", "\U0001f1e6",
    "\u2764", "\u00a9", "\U000e0067", "\U000e007f", "\U0001f3f4",
]

arabic_char = st.one_of(
    st.sampled_from(LETTERS),
    st.sampled_from(LETTERS),
    st.sampled_from(LETTERS),
    st.sampled_from(MARKS),
    st.sampled_from(["\u0653", "\u0654", "\u0655", "\u0640"]),
    st.sampled_from(PRESENTATION),
    st.sampled_from(DIGITS),
    st.sampled_from(PUNCT),
    st.sampled_from(SPACES),
    st.sampled_from(SPACES),
    st.sampled_from(CONTROLS),
    st.sampled_from(OTHER),
    st.characters(exclude_categories=("Cs",)),
)

arabic_text = st.text(arabic_char, max_size=80)
