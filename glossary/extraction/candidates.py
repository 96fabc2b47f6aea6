"""Chinese term candidates: which strings of a Chinese corpus are worth a glossary entry.

Policy terms come in a few shapes, and each shape has its own detector:
quoted names (“渝创渝新”), number slogans (一生一困, 一金三制, 8个扩大, 六稳),
abbreviations the general dictionary does not know (稳岗), and multi-word compounds
(创业担保贷款) whose words are rare in general language. A user list always counts.

Termhood mixes how specific the words are (jieba's general-language IDF: 的 is 0.9,
招聘会 9.7) with how often the string recurs as itself rather than inside a longer
candidate (C-value), so that 创业担保贷款 wins over 担保贷款 only when it deserves to.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex

from align.scripts import to_simplified
from align.tokenize import zh_words
from glossary.extraction.dictionary import glosses

SentenceKey = tuple[int, int]
"""(document index, sentence index) of a sentence in the corpus."""

_HAN = regex.compile(r"^\p{Han}+$")
# Quoted names and titles (“渝创渝新”, 「喜出望外」, 《银行业条例》), the marks left out.
_QUOTED = regex.compile(r"[“「『《\"]([^“”「」『』《》\"，。；！？\n]{2,16})[”」』》\"]")
_NUMERAL = "一二三四五六七八九十两百千"
_SLOGAN = regex.compile(
    rf"(?:[{_NUMERAL}]\p{{Han}}){{2,3}}"  # 一生一困, 一企一策, 一金三制
    rf"|\d+个\p{{Han}}{{2}}(?!\p{{Han}})"  # 8个扩大
)
_COUNTED = regex.compile(r"\d+个(\p{Han}{2})")  # 8个扩大措施: a count of actions, unquoted
_VERB_TAGS = frozenset({"v", "vn"})
_PHRASE_STOP = frozenset("的了是在和与及或")  # no four-character phrase holds these
# Words that begin or end no term: function words and the commonest verbs of reporting.
_EDGE_STOP = frozenset(
    "的 了 和 与 及 或 在 是 将 对 为 把 被 从 由 以 向 等 也 都 "  # noqa: SIM905
    "又 更 还 而 并 这 那 其 之 各 每 该 我 我们 你 他 她 它 他们 "
    "有 个 一 不 没有 要 会 能 可 可以 让 使 给 上 中 下 里 后 前 "
    "时 年 月 日 人 超过 达到 近 约 多 余 来 去 就 才 已 已经 通过 "
    "进行 实现 开展 推动 坚持 加强 强化 建立 实施 落实 发挥 促进 提供 "
    "全面 积极 持续 不断 全力 充分 有效 进一步 主要 相关 一批 以上 以下 "
    "其中 方面 大 小".split()
)
# Terms are noun phrases: they neither start with an adverb, pronoun or measure word, nor
# end with an idiom (jieba's dictionary tags). They may end with a word jieba tags as a
# verb: policy compounds end in verbal nouns (户籍限制, 同比增长, 就业帮扶).
_BAD_FIRST = frozenset(
    "ad d p c u r m q f t y e o uj ul uz ud ug uv".split()  # noqa: SIM905
)
_BAD_LAST = _BAD_FIRST | {"l", "i", "vd", "vg"}
# Words that mark a clause, never a compound: a run of words with one inside is a statement
# (稳岗位就是稳就业, 保持了总体稳定) or a list (高校毕业生等重点群体), not a term.
_CLAUSE_WORDS = frozenset("的 了 是 就是 等 在 就 把 被 将 也 都 又 还 而 并".split())  # noqa: SIM905
_NAMED = frozenset({"user", "quoted", "slogan", "phrase"})  # proposed whole by a pattern
_MAX_CHARS = 10
_MAX_WORDS = 4
_IDF_MEDIAN = 11.95  # median of jieba's idf.txt: what an unseen word is worth


@dataclass(frozen=True)
class Occurrence:
    """Where a candidate occurs: a sentence and the character span inside its text."""

    sentence: SentenceKey
    start: int
    end: int


@dataclass(frozen=True)
class Candidate:
    """A Chinese string proposed as a term, with its termhood in [0, 1] and occurrences.

    ``kinds`` says which detectors proposed it (quoted, slogan, phrase, part,
    abbreviation, user, ngram); ``quoted`` is true when at least one occurrence stands
    inside quotes, which the English side uses to pair it with a quoted English span.
    """

    zh: str
    termhood: float
    occurrences: tuple[Occurrence, ...]
    kinds: frozenset[str]
    quoted: bool


@cache
def _tags() -> Mapping[str, str]:
    """Part of speech of each word in jieba's dictionary (its third column)."""
    import jieba

    table: dict[str, str] = {}
    with (Path(jieba.__file__).parent / "dict.txt").open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3:
                table[parts[0]] = parts[2]
    return table


@cache
def _idf() -> Mapping[str, float]:
    """jieba's general-language IDF table, the background that makes a word specific."""
    import jieba  # the table ships with jieba.analyse, whose import alone costs a second

    path = Path(jieba.__file__).parent / "analyse" / "idf.txt"
    table: dict[str, float] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            word, _, value = line.strip().partition(" ")
            if value:
                table[word] = float(value)
    return table


def segment(text: str, forced: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Word spans of ``text``: jieba words, with each forced term kept as one word.

    Forced terms are cut out before jieba sees the text instead of being added to its
    dictionary, so one corpus's quoted names never change how another corpus is cut.
    Traditional text is cut as its simplified form would be (jieba's dictionary is
    simplified: it cuts 外匯基金 badly and 外汇基金 well) wherever conversion keeps the length.
    """
    simplified = to_simplified(text)
    cut = simplified if len(simplified) == len(text) else text
    spans: list[tuple[int, int]] = []
    taken = [False] * len(text)
    for term in sorted(set(forced), key=len, reverse=True):
        start = text.find(term)
        while start >= 0:
            end = start + len(term)
            if not any(taken[start:end]):
                spans.append((start, end))
                taken[start:end] = [True] * len(term)
            start = text.find(term, end)
    position = 0
    while position < len(text):
        if taken[position]:
            position += 1
            continue
        stop = position
        while stop < len(text) and not taken[stop]:
            stop += 1
        offset = position
        for word in zh_words(cut[position:stop]):
            offset = cut.index(word, offset)
            spans.append((offset, offset + len(word)))
            offset += len(word)
        position = stop
    return sorted(spans)


def _find_all(text: str, term: str) -> Iterable[tuple[int, int]]:
    start = text.find(term)
    while start >= 0:
        yield start, start + len(term)
        start = text.find(term, start + len(term))


def _quoted_terms(text: str) -> Iterable[str]:
    """The names inside quotes; a quoted list (“稳就业、保居民就业”) is its items, each a name:
    the enumeration comma never stands inside one, so the whole is no term."""
    for match in _QUOTED.finditer(text):
        for item in match.group(1).split("、"):
            inner = item.strip()
            if regex.search(r"\p{Han}", inner) and 2 <= len(inner) <= _MAX_CHARS + 2:
                yield inner


def _counted_actions(text: str) -> Iterable[str]:
    """Number slogans a noun follows (8个扩大措施 → 8个扩大): a count, 个 and a verb."""
    for match in _COUNTED.finditer(text):
        if _tags().get(match.group(1)) in _VERB_TAGS:
            yield match.group(0)


def _cut_phrases(text: str, words: Sequence[tuple[int, int]]) -> Iterable[str]:
    """Three- and four-character phrases jieba cut apart: CC-CEDICT headwords (大/数据),
    parallel slogans (线上线下, AB-AC or AB-CB) and idioms split around a piece jieba's
    dictionary does not know (稳中/向/好)."""
    ends = {b for _, b in words}
    for a, _ in words:
        for size in (3, 4):
            chunk = text[a : a + size]
            if a + size not in ends or not _HAN.match(chunk) or not _PHRASE_STOP.isdisjoint(chunk):
                continue
            pieces = [text[x:y] for x, y in words if a <= x and y <= a + size]
            if len(pieces) < 2:
                continue  # jieba kept it whole: the n-gram detector weighs it
            parallel = size == 4 and (chunk[0] == chunk[2] or chunk[1] == chunk[3])
            unknown = len(pieces) >= 3 and any(len(p) > 1 and p not in _tags() for p in pieces)
            if parallel or unknown or glosses(chunk):
                yield chunk


def _known(word: str) -> bool:
    """Whether a general dictionary (jieba's words and IDF table, CC-CEDICT) has the word."""
    return word in _tags() or word in _idf() or bool(glosses(word))


def _halves(term: str) -> Iterable[str]:
    """Halves of a four-character quoted name that a dictionary knows as specific words
    (川渝通办 → 川渝): names in their own right, which jieba never sees apart."""
    if len(term) == 4 and _HAN.match(term):
        for half in (term[:2], term[2:]):
            if _known(half) and _idf().get(half, _IDF_MEDIAN) >= _IDF_MEDIAN:
                yield half


def _is_content(word: str, bad_tags: frozenset[str]) -> bool:
    return bool(_HAN.match(word)) and word not in _EDGE_STOP and _tags().get(word) not in bad_tags


def _term_shaped(pieces: Sequence[str]) -> bool:
    """Whether a run of Han words can be a term: content words at both edges, no function
    word, pronoun or measure word first, no idiom last (a lone verb may stand: 欠薪), and
    no word inside that only a clause or a list holds (是, 了, 等)."""
    if not pieces or not all(_HAN.match(p) for p in pieces):
        return False
    last_bad = _BAD_LAST if len(pieces) > 1 else _BAD_FIRST
    return (
        _is_content(pieces[0], _BAD_FIRST)
        and _is_content(pieces[-1], last_bad)
        and _CLAUSE_WORDS.isdisjoint(pieces[1:-1])
    )


def _ngrams(text: str, words: Sequence[tuple[int, int]]) -> Iterable[tuple[str, list[str]]]:
    """Runs of 1-4 Han words that neither start nor end with a function word."""
    for i, (start, _) in enumerate(words):
        for n in range(1, _MAX_WORDS + 1):
            if i + n > len(words):
                break
            chunk = words[i : i + n]
            if any(a[1] != b[0] for a, b in itertools.pairwise(chunk)):
                break  # a gap means punctuation or a forced term was skipped
            pieces = [text[a:b] for a, b in chunk]
            if not all(_HAN.match(p) for p in pieces):
                break
            end = chunk[-1][1]
            if end - start > _MAX_CHARS:
                break
            if _term_shaped(pieces) and end - start >= 2:
                yield text[start:end], pieces


def _specificity(term: str, words: Sequence[str]) -> float:
    """Mean general-language IDF of the term's words, scaled so the median word is 1."""
    idf = _idf()
    if term in idf:
        whole = idf[term]
    else:
        whole = sum(idf.get(w, _IDF_MEDIAN) for w in words) / max(len(words), 1)
    return min(whole, _IDF_MEDIAN) / _IDF_MEDIAN


def find_candidates(
    sentences: Mapping[SentenceKey, str],
    *,
    user_terms: Iterable[str] = (),
    min_termhood: float = 0.2,
    max_candidates: int = 1200,
) -> tuple[Candidate, ...]:
    """Term candidates of a Chinese corpus, best first.

    ``sentences`` are repaired sentence texts (terms broken across lines already joined).
    Quoted, slogan, abbreviation and user terms are always kept; plain n-grams only when
    their termhood reaches ``min_termhood``, and at most ``max_candidates`` in all.
    """
    users = {t.strip() for t in user_terms if t.strip()}
    kinds: dict[str, set[str]] = defaultdict(set)
    quoted: set[str] = set()
    for text in sentences.values():
        for term in _quoted_terms(text):
            kinds[term].add("quoted")
            quoted.add(term)
        for slogan in itertools.chain(
            (m.group(0) for m in _SLOGAN.finditer(text)), _counted_actions(text)
        ):
            kinds[slogan].add("slogan")
    for term in list(quoted):
        for half in _halves(term):
            kinds[half].add("part")
    for term in users:
        kinds[term].add("user")
    forced = set(kinds)

    gram_words: dict[str, list[str]] = {}
    counts: Counter[str] = Counter()
    for text in sentences.values():
        words = segment(text, forced)
        for a, b in words:
            word = text[a:b]
            after_number = a > 0 and text[a - 1].isdigit()
            if (
                2 <= len(word) <= 4
                and _HAN.match(word)
                and not after_number
                and word not in _idf()
                and word not in forced
            ):
                kinds[word].add("abbreviation")
        for phrase in _cut_phrases(text, words):
            kinds[phrase].add("phrase")
        for gram, pieces in _ngrams(text, words):
            counts[gram] += 1
            gram_words.setdefault(gram, pieces)

    scores = _termhood(counts, gram_words)
    abbreviations = {t for t, k in kinds.items() if k == {"abbreviation"}}
    for term in abbreviations:
        if counts[term] < 2:  # a one-off unknown word is more often a segmentation slip
            del kinds[term]
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    for term, score in ranked[:max_candidates]:
        if score >= min_termhood:
            kinds[term].add("ngram")

    candidates = []
    for term, found_by in kinds.items():
        occurrences = tuple(
            Occurrence(key, a, b)
            for key, text in sentences.items()
            for a, b in _find_all(text, term)
        )
        if not occurrences:
            continue
        termhood = scores.get(term, 0.0)
        if found_by - {"ngram"}:
            termhood = max(termhood, 0.6 if found_by & _NAMED else 0.5)
        candidates.append(
            Candidate(term, round(termhood, 4), occurrences, frozenset(found_by), term in quoted)
        )
    return tuple(sorted(candidates, key=lambda c: (-c.termhood, c.zh)))


def _termhood(counts: Mapping[str, int], words: Mapping[str, Sequence[str]]) -> dict[str, float]:
    """C-value (Frantzi et al.) weighted by specificity, squashed into [0, 1].

    A nested string's frequency is discounted by the mean frequency of the longer
    candidates that contain it; half of its own frequency is kept as a floor, because in
    a small corpus most strings occur once and plain C-value would zero every nested term.
    """
    containers: dict[str, list[int]] = defaultdict(list)
    for longer, count in counts.items():
        for size in range(2, len(longer)):
            for start in range(len(longer) - size + 1):
                inner = longer[start : start + size]
                if inner in counts:
                    containers[inner].append(count)
    scores: dict[str, float] = {}
    for term, count in counts.items():
        nested = containers.get(term)
        free = count - sum(nested) / len(nested) if nested else float(count)
        cvalue = math.log2(1 + min(len(term), 6)) * max(free, 0.5 * count)
        if count == 1:  # a one-off string of many words is more often a phrase than a term
            cvalue *= 0.6 ** max(0, len(words[term]) - 2)
        raw = cvalue * _specificity(term, words[term])
        scores[term] = raw / (raw + 1.5)
    return scores
