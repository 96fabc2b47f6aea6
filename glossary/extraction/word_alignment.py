"""Word alignment inside aligned sentence pairs: eflomal trained on the corpus itself.

eflomal (Östling and Tiedemann 2016) is a Bayesian IBM-model aligner sampled with Markov chain
Monte Carlo; it needs no downloaded weights and learns from a few thousand sentence pairs. It
aligns in both directions; the two are symmetrised with grow-diag-final-and (Koehn et al. 2003),
the heuristic phrase-based translation uses: start from the links both directions agree on,
grow into neighbouring links of either direction that cover a word not yet aligned, then add
remaining links whose two words are both unaligned.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from align.errors import ModelError
from glossary.extraction.bitext import SentencePair
from glossary.extraction.dictionary import glosses, stem

Link = tuple[int, int]
"""(Chinese token index, English token index) inside one sentence pair."""

# independent samplers: three (eflomal's default) are 2-3 times slower and no better; two
# took held-out precision at coverage 0.8 from 0.822 to 0.825 (macro of the HKMA dev years,
# within the spread between runs) for twice the time. eflomal takes no seed (it reads
# /dev/urandom), so links, and figures, vary by about 0.01 from run to run.
SAMPLERS = 1
# eflomal's default iteration counts, scaled, for each of RUNS (4) runs. Held-out precision at
# coverage 0.8, macro of the HKMA dev years, 8 draws each (``bench/hkma_errors.py --samples 8
# --iterations 0.25 0.2 0.15``, bench/results/iterations.json): 0.861, 0.858, 0.853. 0.15
# gives up 0.008 of that for speed: eflomal's four runs took about 1.9 s a year against 3.1 s
# at 0.25, which brings the glossary stage under the time aligning takes (glossary.json).
ITERATIONS = 0.15
# pseudo-count a dictionary link adds to the lexical table; 4 measured the same (held-out
# precision at coverage 0.8, macro of the HKMA dev years, 0.822 against 0.822)
PRIOR = 1.0
_NEIGHBOURS = ((-1, 0), (0, -1), (1, 0), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1))


def align_words(
    pairs: Sequence[SentencePair], *, priors: bool = True
) -> tuple[frozenset[Link], ...]:
    """Symmetrised word links for every pair, in order; empty input gives no links.

    With ``priors``, CC-CEDICT's glosses are Dirichlet priors on the lexical translation table
    (a Chinese word and an English word whose stem glosses it), so that a small corpus starts
    from what a dictionary knows rather than from nothing.
    """
    return align_runs(pairs, 1, priors=priors)[0]


def align_runs(
    pairs: Sequence[SentencePair], runs: int, *, priors: bool = True
) -> tuple[tuple[frozenset[Link], ...], ...]:
    """``runs`` independent draws of ``align_words``: the corpus and its priors are converted
    to eflomal's input files once (``Aligner.prepare_files``, as ``Aligner.align`` does for
    each call: about 0.08 s of the GIL per run), and the runs go in threads, since each one
    is an eflomal process reading those files."""
    if not pairs:
        return ((),) * runs
    try:
        import eflomal
    except ImportError as error:  # a declared dependency, but say what to do if it is gone
        raise ModelError("word alignment needs eflomal: pip install eflomal") from error
    zh = [" ".join(t.form.replace(" ", "_") for t in p.zh) for p in pairs]
    en = [" ".join(t.form.replace(" ", "_") for t in p.en) for p in pairs]
    lexical = dictionary_priors(pairs) if priors else []  # eflomal cannot read an empty file
    aligner = eflomal.Aligner(n_samplers=SAMPLERS, rel_iterations=ITERATIONS)
    with tempfile.TemporaryDirectory(prefix="duiqi-eflomal-") as folder:
        source, target, prior = (Path(folder, name) for name in ("zh", "en", "priors"))
        with (
            source.open("wb") as src,
            target.open("wb") as trg,
            prior.open("w", encoding="utf-8") as lex,
        ):
            aligner.prepare_files(zh, src, en, trg, lexical, lex)

        def run(number: int) -> tuple[frozenset[Link], ...]:
            forward, reverse = Path(folder, f"fwd{number}"), Path(folder, f"rev{number}")
            eflomal.align(  # the call Aligner.align makes, on the files prepared above
                str(source),
                str(target),
                links_filename_fwd=str(forward),
                links_filename_rev=str(reverse),
                statistics_filename=None,
                scores_filename_fwd=None,
                scores_filename_rev=None,
                priors_filename=str(prior) if lexical else None,
                model=aligner.model,
                score_model=aligner.score_model,
                n_iterations=aligner.n_iterations,
                n_samplers=aligner.n_samplers,
                quiet=True,
                rel_iterations=aligner.rel_iterations,
                null_prior=aligner.null_prior,
                use_gdb=False,
            )
            fwd = _read_links(forward, len(pairs))
            rev = _read_links(reverse, len(pairs))
            return tuple(
                grow_diag_final_and(f, r, len(p.zh), len(p.en))
                for f, r, p in zip(fwd, rev, pairs, strict=True)
            )

        with ThreadPoolExecutor(max_workers=runs) as pool:
            return tuple(pool.map(run, range(runs)))


def dictionary_priors(pairs: Sequence[SentencePair]) -> list[str]:
    """eflomal ``LEX`` prior lines for every word pair of the corpus that CC-CEDICT links."""
    by_stem: dict[str, set[str]] = defaultdict(set)
    for form in {t.form for p in pairs for t in p.en}:
        by_stem[stem(form)].add(form)
    lines = []
    for form in sorted({t.form for p in pairs for t in p.zh}):
        targets = {word for gloss in glosses(form) for word in by_stem.get(gloss, ())}
        lines += [f"LEX\t{form}\t{word}\t{PRIOR}" for word in sorted(targets)]
    return lines


def _read_links(path: Path, count: int) -> list[frozenset[Link]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines += [""] * (count - len(lines))
    return [frozenset(_link(item) for item in line.split()) for line in lines[:count]]


def _link(item: str) -> Link:
    i, _, j = item.partition("-")
    return int(i), int(j)


def grow_diag_final_and(
    forward: Iterable[Link], reverse: Iterable[Link], zh_len: int, en_len: int
) -> frozenset[Link]:
    """Koehn's grow-diag-final-and of two directional link sets over the same indices."""
    fwd = {(i, j) for i, j in forward if 0 <= i < zh_len and 0 <= j < en_len}
    rev = {(i, j) for i, j in reverse if 0 <= i < zh_len and 0 <= j < en_len}
    links = fwd & rev
    union = fwd | rev
    zh_done = {i for i, _ in links}
    en_done = {j for _, j in links}
    grown = True
    while grown:
        grown = False
        for i, j in sorted(links):
            for di, dj in _NEIGHBOURS:
                link = (i + di, j + dj)
                if (
                    link in union
                    and link not in links
                    and (link[0] not in zh_done or link[1] not in en_done)
                ):
                    links.add(link)
                    zh_done.add(link[0])
                    en_done.add(link[1])
                    grown = True
    for direction in (fwd, rev):
        for i, j in sorted(direction):
            if i not in zh_done and j not in en_done:
                links.add((i, j))
                zh_done.add(i)
                en_done.add(j)
    return frozenset(links)
