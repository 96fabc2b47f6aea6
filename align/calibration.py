"""Every fitted default of the parallel aligner, and the curve that turns a bead's quality
into the probability that it is right.

All of them come from ``bench/tune.py``, which chooses each by the macro average of strict F1
over every dev set (Bible, academic chapters, magazine articles) and reports, for each set,
the figure it gets when that set played no part in the choice (leave one set out). None is
tuned to one set.
"""

from __future__ import annotations

import math

from .search import Scoring

#: Percentile of random-pair 1-1 bead qualities used as the gain for an omission (see
#: ``ParallelAligner``).
SKIP_PERCENTILE = 20.0

#: The first pass scores windows by summed sentence vectors; it places the band of the second
#: pass and proposes the beads worth encoding. ``bench/tune.py`` picked merge 0, but 0.1
#: gives the same strict F1 on every dev set after the second pass (Bible 0.926, academic
#: 0.9915, magazine 0.9901) and proposes fewer windows (Bible cold 30 s against 37 s), so the
#: tie goes to the cheaper setting.
FIRST_PASS = Scoring(length_weight=0.2, merge=0.1, merge_both=0.3, size_weight=0.5)

#: The second pass scores multi-sentence beads on their encoded windows. Its length model
#: discounts the length ratio of short beads: on the first pass's 1-1 beads of every dev set
#: the variance of the log length ratio falls with length L as about a + b / L (b / a is
#: 10-15 Chinese characters, 0.2-0.45 of the mean sentence length), so a short bead's ratio
#: says less. The tuner chose ``length_noise`` 1.5 mean sentence lengths with weight 0.6
#: (a ridge from 1 at 0.4 to 2 at 0.6 scores within 0.0002): macro 0.9705 against 0.9692
#: unscaled at 0.2. Its held-out folds, 0.9257 / 0.9915 / 0.9901, are about those of the unscaled
#: model (0.9260 / 0.9915 / 0.9901): the gain shows only with the magazine set in the choice.
#: In the first pass it gains nothing (macro 0.9703-0.9704 against 0.9705), so it is off there.
SECOND_PASS = Scoring(
    length_weight=0.6, merge=0.0, merge_both=0.2, size_weight=0.0, neighbours=0.5, length_noise=1.5
)

#: A bead is encoded when its best path comes this close to the first pass's best path.
WINDOW_MARGIN = 0.5

#: Logistic model of P(bead is in the gold) on the bead's quality above the documents' skip
#: gain and on whether it merges sentences: intercept, slope, multi-sentence shift. Fitted
#: with each dev set weighted alike; ``bench/results/tune.json`` holds the reliability table
#: of each set scored by the curve fitted on the other two. The Bible's strict errors are
#: verse-granularity splits of good translations, right as often at every quality, so the
#: curve is flatter than the non-literary sets alone would make it.
PROBABILITY = (-0.112, 5.182, -0.074)


def bead_probability(quality: float, skip: float, sentences: int) -> float:
    """The calibrated probability that a bead of ``sentences`` sentences with this quality
    is right; the documents' skip gain (a low percentile of chance qualities) puts qualities
    from different documents and encoders on one scale."""
    intercept, slope, multi = PROBABILITY
    z = intercept + slope * (quality - skip) + multi * (sentences > 2)
    return 1.0 / (1.0 + math.exp(-z))
