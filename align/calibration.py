"""Turning bead qualities into probabilities that a bead is correct.

The logistic curve is set by hand. ``bench/calibrate.py`` prints, on the held-out half of
the Bible dev set, the mean score beside the share of strictly right beads per score band;
that share is flat there (verse-granularity splits are the errors, and similarity cannot
see them), so that set cannot fit the curve.
"""

from __future__ import annotations

import math

PAIR_SLOPE = 12.0
PAIR_OFFSET = 0.15

#: Percentile of random-pair 1-1 bead qualities used as the gain for an omission (see
#: ``ParallelAligner``). Fitted by ``bench/calibrate.py`` on the first half of the Bible dev
#: set (the largest percentile within 0.001 strict F1 of the best: 0.5 to 10 all give 0.878
#: there, 20 gives 0.876); held-out half 0.942 (0.932 with the old fixed skip of -0.1).
SKIP_PERCENTILE = 10.0


def pair_probability(quality: float) -> float:
    return 1.0 / (1.0 + math.exp(-PAIR_SLOPE * (quality - PAIR_OFFSET)))
