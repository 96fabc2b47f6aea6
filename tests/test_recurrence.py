"""The character-pair table only rules out strings that cannot occur often enough."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from glossary.extraction.recurrence import Recurrence


def test_counts_occurrences_apart_as_str_count_does() -> None:
    text = Recurrence.of("资本充足率\n资本充足\n港港港")
    assert text.at_least("资本充足", 2)
    assert not text.at_least("资本充足率", 2)
    assert text.at_least("港港", 1)
    assert not text.at_least("港港", 2)  # 港港港 holds it twice, but overlapping
    assert not text.at_least("足\n资", 2)


@given(
    st.text(alphabet="资本充足率港\n", max_size=40),
    st.text(alphabet="资本充足港", min_size=1, max_size=4),
    st.integers(min_value=1, max_value=3),
)
def test_agrees_with_counting(text: str, key: str, times: int) -> None:
    assert Recurrence.of(text).at_least(key, times) == (text.count(key) >= times)
