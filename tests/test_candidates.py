"""Chinese term candidates: quoted names, slogans, abbreviations, nested terms, user terms."""

from __future__ import annotations

from glossary.extraction.candidates import Candidate, find_candidates, segment


def _by_zh(candidates: tuple[Candidate, ...]) -> dict[str, Candidate]:
    return {c.zh: c for c in candidates}


SENTENCES = {
    (0, 0): "实施“渝创渝新”创业促进计划，放开创业担保贷款户籍限制，发放创业担保贷款54亿元。",
    (0, 1): "坚持减负稳岗，落实减负稳岗政策，办理创业担保贷款9.2万件。",
    (0, 2): "在516家重点企业设立人社服务专员，一企一策为企业解决用工。",
    (0, 3): "全市3966个在建项目一金三制基本实现全覆盖，全市实施8个扩大，建立联动机制。",
    (0, 4): "开展春风行动等专项活动，帮扶城镇困难人员就业。",
}


def test_quoted_span_is_a_candidate_and_marked_quoted() -> None:
    found = _by_zh(find_candidates(SENTENCES))
    assert "渝创渝新" in found
    assert found["渝创渝新"].quoted
    assert "quoted" in found["渝创渝新"].kinds


def test_number_slogans_are_found_without_quotes() -> None:
    found = _by_zh(find_candidates(SENTENCES))
    for slogan in ("一企一策", "一金三制", "8个扩大"):
        assert "slogan" in found[slogan].kinds, slogan
        assert not found[slogan].quoted


def test_recurring_unknown_abbreviation_is_found() -> None:
    found = _by_zh(find_candidates(SENTENCES))
    assert "abbreviation" in found["稳岗"].kinds
    assert len(found["稳岗"].occurrences) == 2


def test_nested_term_loses_to_the_longer_term_that_contains_it() -> None:
    found = _by_zh(find_candidates(SENTENCES, min_termhood=0.0))
    assert found["创业担保贷款"].termhood > found["担保贷款"].termhood
    assert len(found["创业担保贷款"].occurrences) == 3


def test_user_term_always_counts() -> None:
    plain = _by_zh(find_candidates(SENTENCES, min_termhood=1.0))
    forced = _by_zh(find_candidates(SENTENCES, user_terms=["春风行动"], min_termhood=1.0))
    assert "春风行动" not in plain
    assert "user" in forced["春风行动"].kinds


def test_occurrence_spans_point_at_the_term() -> None:
    for candidate in find_candidates(SENTENCES):
        for occurrence in candidate.occurrences:
            text = SENTENCES[occurrence.sentence]
            assert text[occurrence.start : occurrence.end] == candidate.zh


def test_termhood_is_in_unit_interval() -> None:
    assert all(0.0 <= c.termhood <= 1.0 for c in find_candidates(SENTENCES))


def test_term_repaired_across_a_line_break_is_found_whole() -> None:
    # The splitter joins "一生一\n\n困"; the repaired sentence must yield the whole term.
    found = _by_zh(find_candidates({(0, 0): "解决高校毕业生和困难人员（“一生一困”）的就业问题。"}))
    assert found["一生一困"].quoted


def test_segment_keeps_forced_terms_whole() -> None:
    text = "发放创业担保贷款54亿元"
    words = [text[a:b] for a, b in segment(text, ["创业担保贷款"])]
    assert "创业担保贷款" in words
    assert "".join(words) == text


def test_phrases_jieba_cuts_apart_are_found() -> None:
    found = _by_zh(
        find_candidates(
            {
                (0, 0): "主要指标稳中向好，举办线上线下招聘会。",
                (0, 1): "充分运用大数据技术，全市实施8个扩大措施。",
            }
        )
    )
    for phrase in ("稳中向好", "线上线下", "大数据"):
        assert "phrase" in found[phrase].kinds
    assert "slogan" in found["8个扩大"].kinds
    assert "8个扩大措施" not in found


def test_known_half_of_a_quoted_name_is_a_candidate() -> None:
    found = _by_zh(find_candidates({(0, 0): "建立“川渝通办”服务平台。"}))
    assert "part" in found["川渝"].kinds
    assert "通办" not in found  # no dictionary knows it: not a word of its own


def test_title_marks_are_left_out_of_the_term() -> None:
    found = _by_zh(find_candidates({(0, 0): "根據《銀行業條例》，金管局可以發出指引。"}))
    assert "quoted" in found["銀行業條例"].kinds
    assert not any("《" in term or "》" in term for term in found)


def test_traditional_text_is_cut_as_its_simplified_form() -> None:
    text = "離岸人民幣市場"  # jieba alone cuts 離岸/人民/幣市場
    assert [text[a:b] for a, b in segment(text)] == ["離岸", "人民幣", "市場"]


def test_a_quoted_list_gives_its_items_not_the_whole() -> None:
    found = _by_zh(find_candidates({(0, 0): "将“稳就业、保居民就业”作为首要任务。"}))
    assert found["保居民就业"].quoted
    assert found["稳就业"].quoted
    assert not any("、" in term for term in found)


def test_a_clause_or_a_list_is_no_candidate() -> None:
    found = _by_zh(
        find_candidates(
            {
                (0, 0): "稳岗位就是稳就业。",
                (0, 1): "帮扶高校毕业生等重点群体就业。",
            },
            min_termhood=0.0,
        )
    )
    assert "稳岗位" in found
    assert "重点群体" in found
    assert not any("就是" in term or "等" in term for term in found)
