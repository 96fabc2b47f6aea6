from hypothesis import given
from hypothesis import strategies as st

from align.scripts import language_tag, script_of, to_simplified, to_traditional


def test_converts_phrases_both_ways() -> None:
    assert to_simplified("外匯基金諮詢委員會 櫃員機") == "外汇基金咨询委员会 柜员机"
    assert to_traditional("稳岗 外汇基金") == "穩崗 外匯基金"


def test_detects_the_script_by_the_characters_only_one_script_uses() -> None:
    assert script_of("香港金融管理局的外匯基金") == "Hant"
    assert script_of("稳岗扩就业") == "Hans"
    assert language_tag("離岸人民幣市場") == "zh-Hant"
    # Characters common to both scripts carry no vote: such text counts as simplified.
    assert script_of("香港 2023") == "Hans"


@given(st.text(alphabet="稳岗就业扩外汇基金人民币市场香港", max_size=20))
def test_simplified_text_round_trips(text: str) -> None:
    assert to_simplified(text) == text
    assert to_simplified(to_traditional(text)) == text
