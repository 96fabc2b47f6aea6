from pathlib import Path

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from align.splitting import MAX_SENTENCE, split_sentences
from align.types import Lang, Sentence

SEEDS = Path(__file__).parent.parent / "corpora" / "seeds"


def texts(text: str, lang: Lang) -> list[str]:
    return [s.text for s in split_sentences(text, lang)]


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _check_offsets(text: str, sentences: list[Sentence]) -> None:
    """Offsets point at the sentence, in order; only whitespace differs."""
    previous_end = 0
    for s in sentences:
        assert previous_end <= s.start < s.end <= len(text)
        assert _squeeze(text[s.start : s.end]) == _squeeze(s.text)
        previous_end = s.end


# --- Chinese: lines broken inside sentences and words (excerpts of seed 004) ---------------


def test_word_broken_across_blank_line_is_joined() -> None:
    text = (
        "强化资金保障。就业补助资金近3年年均增长19%，保持只增不减，有力保障了各项就业政策出台和兑现。"
        "全市城镇新增就\n\n业75.1万人，完成全年目标任务60万人的125.2%，同比增长14.5%；调查失业率低于控制目标。"
    )
    assert "全市城镇新增就业75.1万人，完成全年目标任务60万人的125.2%，同比增长14.5%；" in texts(
        text, "zh"
    )


def test_term_broken_inside_quotes_and_brackets_is_joined() -> None:
    text = (
        "因此，重庆把“稳就业”作为“六稳”工作的头等大事，把解决高校毕业生和困难人员（“一生一\n\n"
        "困”）的就业问题纳入全市“我为群众办实事”的重要事项。"
    )
    assert texts(text, "zh") == [text.replace("\n", "")]


def test_long_line_without_final_punctuation_continues() -> None:
    text = (
        "我市强化组织领导。市委、市政府高度重视就业工作，将就业指标纳入区县党委政府经济社会发展实绩考核。"
        "市就业工作领导小组\n\n统筹发挥发改、财政、经信、统计、市场监管等部门作用，构建起了全市就业“一盘棋”"
        "工作格局。强化规划引领。出台“十四五”\n\n就业、农民工、职业技能培训3个专项规划。"
    )
    assert texts(text, "zh")[2:] == [
        "市就业工作领导小组统筹发挥发改、财政、经信、统计、市场监管等部门作用，构建起了全市就业“一盘棋”工作格局。",
        "强化规划引领。",
        "出台“十四五”就业、农民工、职业技能培训3个专项规划。",
    ]


def test_short_line_with_a_comma_is_prose_broken_early() -> None:
    text = "缓解了企业技能人才短缺。\n\n最近，渝北区空港工业园区正\n\n大量招工。1月19日一大早。"
    assert texts(text, "zh") == [
        "缓解了企业技能人才短缺。",
        "最近，渝北区空港工业园区正大量招工。",
        "1月19日一大早。",
    ]


def test_line_ending_in_a_comma_or_dash_continues() -> None:
    text = (
        "市人力社保局多方搭台，\n\n推动企业开展送工合作。\n\n我市坚持系统治理——\n\n保障劳动权益。"
    )
    assert texts(text, "zh") == [
        "市人力社保局多方搭台，推动企业开展送工合作。",
        "我市坚持系统治理——保障劳动权益。",
    ]


def test_headings_and_captions_stay_on_their_own() -> None:
    text = (
        "\n\n聚力稳就业 夯实“压舱石” 重庆五张“就业答卷”回答“稳从何来”\n\n"
        "就业连着民心，民心凝聚民力。\n\n"
        "一项项政策满怀期待，阳光洒满重庆人民就业路。\n\n\n\n举办招聘会促进更多的人就业\n\n"
        "坚持就业优先 主要指标稳中向好\n\n我市强化组织领导。\n\n\n\n"
        "农业果树专家为村民传授技术，帮助村民就业\n\n在位于重庆市人力资源产业园的直播间里。\n\n"
        "王彩艳 杨敏\n图片由市人社局提供\n"
    )
    sentences = split_sentences(text, "zh")
    assert [s.text for s in sentences] == [
        "聚力稳就业 夯实“压舱石” 重庆五张“就业答卷”回答“稳从何来”",
        "就业连着民心，民心凝聚民力。",
        "一项项政策满怀期待，阳光洒满重庆人民就业路。",
        "举办招聘会促进更多的人就业",
        "坚持就业优先 主要指标稳中向好",
        "我市强化组织领导。",
        "农业果树专家为村民传授技术，帮助村民就业",
        "在位于重庆市人力资源产业园的直播间里。",
        "王彩艳 杨敏",
        "图片由市人社局提供",
    ]
    assert [s.paragraph for s in sentences] == list(range(10))


def test_chinese_sentence_ends_keep_closing_quotes() -> None:
    text = (
        "“谢谢人社部门的帮扶，让我在迷茫期找准了方向，顺利就业。”前不久，夏腾进入了基层管理服务岗。"
        "他说：“这样的日子更有意义！”真的吗？是的；畅谈工作感受……依托平台（见附件。）完成"
    )
    assert texts(text, "zh") == [
        "“谢谢人社部门的帮扶，让我在迷茫期找准了方向，顺利就业。”",
        "前不久，夏腾进入了基层管理服务岗。",
        "他说：“这样的日子更有意义！”",
        "真的吗？",
        "是的；",
        "畅谈工作感受……",
        "依托平台（见附件。）",
        "完成",
    ]


def test_ascii_punctuation_also_ends_chinese_sentences() -> None:
    assert texts("真的吗?是的!好(好。)", "zh") == ["真的吗?", "是的!", "好(好。)"]


def test_whole_chinese_seed() -> None:
    text = (SEEDS / "004_acb3dc8994b1fd4b.txt").read_text(encoding="utf-8")
    sentences = split_sentences(text, "zh")
    _check_offsets(text, sentences)
    got = [s.text for s in sentences]
    assert all("\n" not in t for t in got)
    for joined in (
        "全市城镇新增就业75.1万人，完成全年目标任务60万人的125.2%，同比增长14.5%；",
        "全市公共人力资源市场求人倍率2.4，需求大于供给。",
        "最近，渝北区空港工业园区正大量招工。",
        "为维持和谐稳定的劳动关系，我市坚持系统治理——保障劳动权益。",
    ):
        assert joined in got
    assert any("（“一生一困”）" in t for t in got)
    headings = [t for t in got if not regex.search(r"[。！？；…][”’）]*$", t)]
    assert headings == [
        "聚力稳就业 夯实“压舱石” 重庆五张“就业答卷”回答“稳从何来”",
        "举办招聘会促进更多的人就业",
        "坚持就业优先 主要指标稳中向好",
        "坚持减负稳岗 用工需求持续走强",
        "茶艺培训",
        "坚持精准施策 重点群体保障有力",
        "就业帮扶车间",
        "退捕渔民招聘咨询现场",
        "农业果树专家为村民传授技术，帮助村民就业",
        "王彩艳 杨敏",
        "图片由市人社局提供",
        "坚持资源整合 服务效能不断提高",
        "坚持系统治理 劳动关系和谐稳定",
    ]


# --- English -------------------------------------------------------------------------------


def test_run_on_sentences_are_split() -> None:
    text = (
        "January 25, the city’s human social security work conference was held.The meeting "
        "identified six priorities.We will keep it within 5.5 percent.We will act before the "
        "Spring Festival.2021 Big data shows growth. Old-age insurance.A total of 247 million."
    )
    assert texts(text, "en") == [
        "January 25, the city’s human social security work conference was held.",
        "The meeting identified six priorities.",
        "We will keep it within 5.5 percent.",
        "We will act before the Spring Festival.",
        "2021 Big data shows growth.",
        "Old-age insurance.",
        "A total of 247 million.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Line No. 5 was opened.",
        "It grew 3.5% this year.",
        "The U.S. Treasury agreed.",
        "Mr. Li Yong spoke.",
        "It began on Jan. 25 in Chongqing.",
        "Ports, e.g. Chongqing, grew.",
        "J. R. Smith wrote it.",
        "See Fig. 3 for details.",
        "The rate was 2.4 and rising.",
    ],
)
def test_abbreviations_and_decimals_do_not_end_sentences(text: str) -> None:
    assert texts(text, "en") == [text]


def test_english_sentence_ends_keep_closing_quotes_and_brackets() -> None:
    text = (
        'It is a "must answer." The reporter learned it. (Finish.) "Stable employment" '
        "matters! Does it? Yes… It works."
    )
    assert texts(text, "en") == [
        'It is a "must answer."',
        "The reporter learned it.",
        "(Finish.)",
        '"Stable employment" matters!',
        "Does it?",
        "Yes…",
        "It works.",
    ]


def test_lower_case_after_period_is_not_a_sentence_start() -> None:
    assert texts("It ended at 5 p.m. and then resumed.", "en") == [
        "It ended at 5 p.m. and then resumed."
    ]


def test_english_paragraphs_and_broken_lines() -> None:
    text = (
        "By 2022, more than 600,000 new urban jobs will be created\n\n2022-04-23 0 By\n\n"
        "January 25, the conference was held.\n\n  The city will improve\nthe employment "
        "brand of\n“Just in the mountain city”.\n\n(Finish)\n"
    )
    sentences = split_sentences(text, "en")
    assert [(s.text, s.paragraph) for s in sentences] == [
        ("By 2022, more than 600,000 new urban jobs will be created", 0),
        ("2022-04-23 0 By January 25, the conference was held.", 1),
        ("The city will improve the employment brand of “Just in the mountain city”.", 2),
        ("(Finish)", 3),
    ]
    _check_offsets(text, sentences)


def test_whole_english_seed_with_run_ons() -> None:
    text = (SEEDS / "001_627b2be1d4e5e78d.txt").read_text(encoding="utf-8")
    sentences = split_sentences(text, "en")
    _check_offsets(text, sentences)
    got = [s.text for s in sentences]
    assert len(got) == 24
    assert got[1].startswith("2022-04-23 0 By January 25, the city’s human social security")
    assert "We will adopt a comprehensive approach to boost rural revitalization." in got
    assert not any(regex.search(r"[a-z]\.[A-Z][a-z]", t) for t in got)


# --- robustness ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_huge_sentence_without_punctuation_is_cut(lang: Lang) -> None:
    text = "就业" * 50_000 if lang == "zh" else "word " * 20_000
    sentences = split_sentences(text, lang)
    assert all(len(s.text) <= MAX_SENTENCE for s in sentences)
    assert _squeeze("".join(s.text for s in sentences)) == _squeeze(text)
    _check_offsets(text, sentences)


def test_huge_sentence_is_cut_after_a_comma() -> None:
    text = "稳就业，" * 30_000
    sentences = split_sentences(text, "zh")
    assert all(s.text.endswith("，") and len(s.text) <= MAX_SENTENCE for s in sentences)


def test_empty_and_blank_text_has_no_sentences() -> None:
    assert split_sentences("", "zh") == []
    assert split_sentences(" \n\n \t\n", "en") == []


@given(
    st.text(alphabet="就业稳岗 ab.C,\n。，！“”（）", max_size=200),
    st.sampled_from(["zh", "en"]),
)
def test_offsets_always_point_at_the_sentence(text: str, lang: Lang) -> None:
    sentences = split_sentences(text, lang)
    _check_offsets(text, sentences)
    assert _squeeze("".join(s.text for s in sentences)) == _squeeze(text)
    paragraphs = [s.paragraph for s in sentences]
    assert paragraphs == sorted(paragraphs)
