"""Weighted random choice without rng.choices()'s per-call set-up cost (called millions of times)."""

from __future__ import annotations

import random
from bisect import bisect
from itertools import accumulate


class Weighted:
    """Draw a key with probability proportional to its weight."""

    def __init__(self, weights: dict[str, int]):
        self.keys = tuple(weights)
        self.cumulative = tuple(accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random) -> str:
        return self.keys[bisect(self.cumulative, rng.random() * self.total)]
