from __future__ import annotations

import codecs

import pytest

from arnews_cli.decoding import decode
from arnews_cli.errors import ArnewsError

ARABIC = "قالت وزارة الخارجية إن الاجتماع عقد في بغداد.\nوأضافت أن المحادثات ستستمر."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (ARABIC.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + ARABIC.encode("utf-8"), "utf-8-sig"),
        (ARABIC.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + ARABIC.encode("utf-16-be"), "utf-16"),
        (ARABIC.encode("cp1256"), "cp1256"),
        (ARABIC.replace("\n", "\r\n").encode("cp1256") + b"\x00", "cp1256"),
    ],
)
def test_decodes_common_encodings(data: bytes, encoding: str) -> None:
    text, used = decode(data, "a.txt")
    assert used == encoding
    assert text.replace("\r\n", "\n") == ARABIC


def test_iso_8859_6_is_recognised() -> None:
    # ISO-8859-6 has no lowercase Latin conflicts with Arabic letters: bytes valid there only.
    data = "قال الوزير إن المحادثات مستمرة".encode("iso8859_6")
    text, used = decode(data, "a.txt")
    assert text == "قال الوزير إن المحادثات مستمرة"
    assert used in ("iso8859_6", "cp1256")
    if used == "cp1256":  # both decode; the detector must then still give Arabic letters
        pytest.fail("ISO-8859-6 bytes decoded as Windows-1256")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\r\n\x00", "empty file"),
        (bytes(range(256)) * 4, "binary"),
        (b"\x00\x01\x02abc\x00\x00def" * 50, "binary"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 20, "binary"),
    ],
)
def test_bad_bytes_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(ArnewsError, match=reason) as info:
        decode(data, "bad.bin")
    assert str(info.value).startswith("bad.bin: ")


def test_trailing_nul_padding_is_dropped() -> None:
    text, _ = decode("نص".encode() + b"\x00\x00", "a.txt")
    assert text == "نص"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("中华人民共和国国务院新闻办公室今天举行新闻发布会。", "gbk"),
        ("日本語のテキストです。東京都の天気は晴れ。", "shift_jis"),
        ("Привет, мир: это новости на русском языке.", "cp1251"),
        # KOI8-R puts Cyrillic letters where Windows-1256 has Arabic ones
        ("Президент заявил журналистам, что переговоры продолжатся.", "koi8_r"),
        ("Le ministre a déclaré à la presse qu'il était très ému.", "latin-1"),
    ],
)
def test_text_in_another_encoding_is_refused(text: str, encoding: str) -> None:
    # Windows-1256 decodes any byte; what it makes of these is no Arabic text
    with pytest.raises(ArnewsError, match="not Arabic text in Windows-1256"):
        decode((text * 5).encode(encoding), "other.txt")


@pytest.mark.parametrize(
    "line",
    ["Путин встретился с премьер-министром Индии в Москве",
     "Президент заявил журналистам"],
)
def test_one_line_of_koi8_r_is_refused(line: str) -> None:
    with pytest.raises(ArnewsError, match="not Arabic text in Windows-1256"):
        decode(line.encode("koi8_r"), "headline.txt")


def test_koi8_r_without_glued_teh_is_refused_by_its_letter_shares() -> None:
    # no Cyrillic и (teh marbuta in Windows-1256) here: only alef and lam being rare tell
    text = ("Сегодня утром в Москве прошла встреча, которую Стороны обсуждают вопросы "
            "торговлю, транспорт. Новая встреча будет в мае, сообщает пресс-служба Кремля. "
            "Вопрос о газе остается открытым.")
    assert "и" not in text.lower()
    with pytest.raises(ArnewsError, match="not Arabic text in Windows-1256"):
        decode(text.encode("koi8_r"), "news.txt")


def test_a_few_foreign_letters_in_windows_1256_pass() -> None:
    text = ARABIC + " وقال الوزير إيمانويل ماكرون (Emmanuel Macron) «نحن هنا» — نعم.\n"
    data = text.replace("Emmanuel", "émmanuèl").encode("cp1256")
    assert decode(data, "a.txt") == (text.replace("Emmanuel", "émmanuèl"), "cp1256")


def test_symbols_beside_numbers_in_windows_1256_pass() -> None:
    rates = "أسعار العملات اليوم\n\nاليورو: 4.10 ريال (€)\nالجنيه: 4.80 ريال (£)\n" \
            "الدولار ± 0.01 ريال ½ § · ²\n© جميع الحقوق محفوظة ® ™\n"
    assert decode((rates * 3).encode("cp1256"), "rates.txt") == (rates * 3, "cp1256")
