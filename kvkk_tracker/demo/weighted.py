"""Weighted random choice without the set-up cost of rng.choices() on every call."""

from __future__ import annotations

import random
from bisect import bisect
from itertools import accumulate


class Weighted:
    """Draw a key with probability proportional to its weight."""

    def __init__(self, weights: dict):
        self.keys = tuple(weights)
        self.cumulative = tuple(accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random):
        return self.keys[bisect(self.cumulative, rng.random() * self.total)]
