import pytest

from align.errors import LanguageError
from align.language import check_pair, detect_language


def test_chinese() -> None:
    assert detect_language("就业连着民心，民心凝聚民力。") == "zh"


def test_english() -> None:
    assert detect_language("Chongqing held a city-wide work conference on the 25th.") == "en"


def test_chinese_with_english_words_stays_chinese() -> None:
    text = "依托重庆人社部门推出的智能就业平台，求职者 and 用人单位还可在线上完成简历投递。RCEP"
    assert detect_language(text) == "zh"


def test_english_quoting_chinese_terms_stays_english() -> None:
    text = "The policy known as 稳岗 (job stabilization) was extended to small enterprises."
    assert detect_language(text) == "en"


def test_cjk_extension_b_counts_as_han() -> None:
    assert detect_language("\U00020000\U0002a6d6\U00020001") == "zh"


def test_full_width_punctuation_alone_is_no_evidence() -> None:
    with pytest.raises(LanguageError, match=r"x\.txt: no Chinese or English text to go on"):
        detect_language("。，！？（）“”", name="x.txt")


def test_digits_only_is_an_error_saying_what_was_found() -> None:
    with pytest.raises(LanguageError, match="found 0 Han characters, 0 Latin letters"):
        detect_language("2021 751,000 14.5%", name="x.txt")


def test_other_script_is_an_error() -> None:
    with pytest.raises(LanguageError, match=r"x\.txt: the text is mostly in another script"):
        detect_language("Это русский текст о занятости.", name="x.txt")


def test_half_and_half_is_an_error() -> None:
    text = "就业连着民心，民心凝聚民力。Employment is tied to the hearts of the people."
    with pytest.raises(LanguageError, match="mixes Chinese and English in similar amounts"):
        detect_language(text, name="x.txt")


def test_check_pair_accepts_one_of_each() -> None:
    check_pair("zh", "en", src_name="a", tgt_name="b")
    check_pair("en", "zh", src_name="a", tgt_name="b")


@pytest.mark.parametrize(("lang", "word"), [("en", "English"), ("zh", "Chinese")])
def test_check_pair_refuses_two_of_a_kind(lang: str, word: str) -> None:
    with pytest.raises(LanguageError, match=f"both files are {word} \\(a.txt, b.txt\\): give one"):
        check_pair(lang, lang, src_name="a.txt", tgt_name="b.txt")  # type: ignore[arg-type]
