"""``frequency`` counts the sentence pairs where term and equivalent occur together."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from align.types import Alignment, Bead, Signature
from glossary.extraction.bitext import SentencePair
from glossary.extraction.equivalents import span_key
from glossary.extraction.extract import extract_terms
from glossary.types import TermEntry
from tests.test_extract import ConceptEncoder, document

NAME = "Chongqing Create Chongqing New"
ZH = document(
    "zh.txt",
    "zh",
    [
        "重庆实施“渝创渝新”计划。",
        "“渝创渝新”发放贷款54亿元。",
        "“渝创渝新”打造创业品牌。",
        "农民工参加“渝创渝新”。",
        "天气很好。",
    ],
)
EN = document(
    "en.txt",
    "en",
    [
        f"Chongqing ran the “{NAME}” plan.",
        f"“{NAME}” issued 5.4 billion yuan of loans.",
        f"“{NAME}” built an entrepreneurship brand.",
        f"Migrant workers joined “{NAME}”.",
        f"The weather was fine, said “{NAME}”.",
    ],
)


def _best(entries: tuple[TermEntry, ...]) -> tuple[int, set[tuple[int, int]]]:
    entry = next(e for e in entries if e.zh == "渝创渝新")
    best = next(q for q in entry.equivalents if span_key(q.en) == span_key(NAME))
    return best.frequency, {(x.sent_zh, x.sent_en) for x in best.examples}


def _name_links(
    pairs: Sequence[SentencePair], *, priors: bool = True
) -> tuple[frozenset[tuple[int, int]], ...]:
    """Fixed word links: the characters of 渝创渝新 to the first run of the name's words.

    eflomal samples (it takes no seed), and on five sentences its links vary from run to run;
    these tests are about what is counted, so the links are given."""
    words = [w.lower() for w in NAME.split()]
    out = []
    for pair in pairs:
        zh = [i for i, t in enumerate(pair.zh) if set(t.form) <= set("渝创新")]
        forms = [t.form for t in pair.en]
        start = next((j for j in range(len(forms)) if forms[j : j + len(words)] == words), None)
        en = [] if start is None else list(range(start, start + len(words)))
        out.append(frozenset((i, j) for i in zh for j in en))
    return tuple(out)


@pytest.fixture
def fixed_links(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "glossary.extraction.parallel.align_runs", lambda pairs, runs: (_name_links(pairs),) * runs
    )


def _parallel(beads: tuple[Bead, ...]) -> Alignment:
    return Alignment(src=ZH, tgt=EN, beads=beads, signature=Signature("parallel", "concepts"))


@pytest.mark.usefixtures("fixed_links")
def test_a_translated_text_counts_its_aligned_pairs_not_their_product() -> None:
    one_to_one = tuple(Bead((i,), (i,), 0.9) for i in range(5))
    found = extract_terms([ZH], [EN], encoder=ConceptEncoder(), alignments=[_parallel(one_to_one)])
    frequency, examples = _best(found)
    assert frequency == 4  # four aligned pairs hold both; 4 x 5 sentences were sighted
    assert examples == {(0, 0), (1, 1), (2, 2), (3, 3)}


@pytest.mark.usefixtures("fixed_links")
def test_a_sentence_whose_translation_lacks_the_equivalent_does_not_count() -> None:
    shifted = (
        Bead((0,), (0,), 0.9),
        Bead((1,), (), 0.0),
        Bead((2,), (1, 2), 0.8),
        Bead((3,), (3,), 0.9),
        Bead((4,), (4,), 0.9),
    )
    found = extract_terms([ZH], [EN], encoder=ConceptEncoder(), alignments=[_parallel(shifted)])
    frequency, examples = _best(found)
    assert frequency == 3  # sentence 1 is unaligned; 2 pairs with one of its two partners
    assert {zh for zh, _ in examples} == {0, 2, 3}


def test_comparable_articles_count_each_sentence_once() -> None:
    found = extract_terms([ZH], [EN], encoder=ConceptEncoder(), k=5)
    frequency, examples = _best(found)
    assert frequency == 4 and len(examples) > frequency  # 4 Chinese sentences hold the term
