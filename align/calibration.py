"""Turning bead qualities into probabilities that a bead is correct.

The logistic curves were fitted on the Bible dev set's gold beads by
``bench/calibrate.py``, which prints the coefficients it finds; a score of 0.9 then means
about nine in ten such beads are right on text like that.
"""

from __future__ import annotations

import math

PAIR_SLOPE = 12.0
PAIR_OFFSET = 0.15


def pair_probability(quality: float) -> float:
    return 1.0 / (1.0 + math.exp(-PAIR_SLOPE * (quality - PAIR_OFFSET)))
