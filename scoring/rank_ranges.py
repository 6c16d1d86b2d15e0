"""Rank ranges under perturbed indicator weights, computed with NumPy (no Django here).

A round is a matrix: one row per scorecard with its stored total and its 24 stored
indicator scores, all in hundredths (integers). A draw multiplies each indicator's weight by
a factor ``1 + m / 10**6``, ``m`` a whole number drawn uniformly from
``[-spread * 10**6, spread * 10**6]`` (a grid of a millionth: uniform on [1 - spread,
1 + spread] for every practical purpose, and exact to compute).

An indicator contributes its attainment (score / weight) times its new weight, which is
its score times the factor. The perturbed total is anchored on the stored total::

    perturbed = stored total + sum(score_i * (factor_i - 1))

that is the plain sum of scores times factors plus the scorecard's rounding residue (stored
total minus the sum of its stored, rounded indicator scores; at most 0.005 per indicator).
With every factor 1 it is the stored total exactly, so the unperturbed draw ranks exactly as
the stored ranks do; and it stays closer to the total the unrounded scores would give than
the plain sum does (off by at most 0.005 * (1 + sum |factor_i - 1|) instead of
0.005 * sum factor_i). Every product and sum is a whole number of 10**-8 points below
2**53, so float64 (BLAS) computes it exactly in any order, and scorecards with equal
scores get equal perturbed totals on every machine. Each draw's totals are then rounded
half up to 2 decimals, as real totals are, and equal rounded totals share a rank.

Totals are not renormalised to a sum of weights of 100: that would divide every total of a
draw by the same number, which changes no order (only a tie at the second decimal could
differ), and ranks are all that is kept.

Ranks are competition ranks (1, 2, 2, 4), overall and within each group of a grouping
(city, district, peer group). Per scorecard and level the range kept is the 5th percentile
of its ranks over the draws (numpy's ``method="lower"``) to the 95th (``"higher"``), so the
range is never narrower than the draws say. Draws are processed in blocks (BLOCK_CELLS
scorecard-draws at a time), and per scorecard and level only the 5 % smallest and the 5 %
largest ranks seen so far are kept: 4 bytes x scorecards x 4 levels x draws / 10, that is
160 MB at 100,000 scorecards and 1,000 draws, plus one block's working arrays, instead of
every rank of every draw.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

MILLION = 1_000_000
OVERALL = "overall"
# Cells (scorecards x draws) of one block: about 16 MB per int64 array of the block.
BLOCK_CELLS = 2_000_000

IntArray = npt.NDArray[np.int64]
RankArray = npt.NDArray[np.int32]


@dataclass(frozen=True)
class Standings:
    """A round as numbers: ``totals`` (n,) and ``scores`` (n, indicators) in hundredths;
    ``groups`` maps a level to each scorecard's group code (-1: in no group)."""

    totals: IntArray
    scores: IntArray
    groups: Mapping[str, IntArray]

    @property
    def levels(self) -> tuple[str, ...]:
        return (OVERALL, *self.groups)

    @cached_property
    def layouts(self) -> dict[str, _Layout]:
        return {level: _Layout.of(codes) for level, codes in self.groups.items()}

    @cached_property
    def scores_by_column(self) -> npt.NDArray[np.float64]:
        """The scores transposed, as floats for the matrix product (exact: see above)."""
        return np.ascontiguousarray(self.scores.T, dtype=np.float64)


@dataclass(frozen=True)
class Range:
    """The 5th to 95th percentile of a level's ranks per scorecard (0 where the scorecard
    is in no group of that level)."""

    low: IntArray
    high: IntArray


def weight_offsets(*, draws: int, indicators: int, spread: float, seed: int) -> IntArray:
    """Per draw and indicator, the factor's offset from 1 in millionths (see above)."""
    if not 0 < spread < 1:
        raise ValueError("spread must lie between 0 and 1")
    bound = round(spread * MILLION)
    rng = np.random.default_rng(seed)
    return rng.integers(-bound, bound, size=(draws, indicators), endpoint=True, dtype=np.int64)


def perturbed_totals(standings: Standings, offsets: IntArray) -> IntArray:
    """Totals of each draw (draws, n) in hundredths, rounded half up."""
    exact = offsets.astype(np.float64) @ standings.scores_by_column
    exact += standings.totals.astype(np.float64) * MILLION
    return np.floor_divide(exact.astype(np.int64) + MILLION // 2, MILLION)


def draw_ranks(standings: Standings, offsets: IntArray) -> dict[str, RankArray]:
    """Competition ranks of every scorecard in each draw (draws, n), per level."""
    values = perturbed_totals(standings, offsets)
    # Small integers sort stably by radix sort; the negatives put the highest first.
    keys = -values.astype(_narrowest(values))
    ranks = {level: np.empty(values.shape, dtype=np.int32) for level in standings.levels}
    positions = np.arange(values.shape[1], dtype=np.int32)
    for draw, key in enumerate(keys):
        order = np.argsort(key, kind="stable")
        starts = _run_starts(key[order], positions)
        ranks[OVERALL][draw, order] = starts + 1
        for level, layout in standings.layouts.items():
            # Sorted stably by group, each group's members stay best first; a run of
            # equal totals in a group takes the rank of its first slot, counted from the
            # group's first slot.
            by_group = np.argsort(layout.codes[order], kind="stable")
            breaks = layout.group_new.copy()
            run_of = starts[by_group]
            breaks[1:] |= run_of[1:] != run_of[:-1]
            run_starts = np.maximum.accumulate(np.where(breaks, positions, 0))
            ranks[level][draw, order[by_group]] = run_starts - layout.group_start + 1
    return ranks


def rank_ranges(
    standings: Standings, offsets: IntArray, *, block_cells: int = BLOCK_CELLS
) -> dict[str, Range]:
    """The range of ranks of every scorecard over the draws of ``offsets``, per level."""
    count = len(standings.totals)
    draws = len(offsets)
    if draws == 0:
        raise ValueError("at least one draw is needed")
    low_k, high_k = percentile_counts(draws)
    trackers = {level: _Extremes(low_k, high_k) for level in standings.levels}
    if count:
        for block in _blocks(draws, max(1, block_cells // count)):
            for level, ranks in draw_ranks(standings, offsets[block]).items():
                trackers[level].add(np.ascontiguousarray(ranks.T))
    result = {}
    for level, tracker in trackers.items():
        low, high = tracker.result(count)
        if level in standings.groups:
            outside = standings.groups[level] < 0
            low[outside] = 0
            high[outside] = 0
        result[level] = Range(low=low, high=high)
    return result


def percentile_counts(draws: int) -> tuple[int, int]:
    """How many of the smallest and of the largest ranks decide the 5th ("lower") and the
    95th ("higher") percentile of ``draws`` ranks."""
    lower_index = 5 * (draws - 1) // 100
    higher_index = -(-95 * (draws - 1) // 100)
    return lower_index + 1, draws - higher_index


def _blocks(draws: int, size: int) -> Iterator[slice]:
    for start in range(0, draws, size):
        yield slice(start, min(start + size, draws))


def _narrowest(values: IntArray) -> type[np.signedinteger]:
    """int16 when the totals (and their negatives) fit, else int32."""
    info = np.iinfo(np.int16)
    if values.size and (values.min() <= info.min or values.max() >= info.max):
        return np.int32
    return np.int16


def _run_starts(ordered: npt.NDArray[np.integer], positions: RankArray) -> RankArray:
    """Per position of a sorted array, the position where its run of equal values starts."""
    new = np.ones(ordered.shape, dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    return np.maximum.accumulate(np.where(new, positions, 0))


@dataclass(frozen=True)
class _Layout:
    """A grouping as the ranking needs it. Sorting a draw's order stably by group gives
    each group's members together, best first; where each group begins in that
    arrangement is the same in every draw, so it is worked out once."""

    codes: npt.NDArray[np.integer]  # per scorecard, narrow for a radix sort
    group_new: npt.NDArray[np.bool_]  # per slot of the arrangement: a group begins here
    group_start: RankArray  # per slot: the slot where its group begins

    @classmethod
    def of(cls, codes: IntArray) -> _Layout:
        fits = codes.size == 0 or codes.max() < np.iinfo(np.int16).max
        narrow: npt.NDArray[np.integer] = codes.astype(np.int16) if fits else codes.astype(np.int32)
        arranged = np.sort(narrow)
        positions = np.arange(len(codes), dtype=np.int32)
        new = np.ones(len(codes), dtype=bool)
        np.not_equal(arranged[1:], arranged[:-1], out=new[1:])
        start = np.maximum.accumulate(np.where(new, positions, 0))
        return cls(codes=narrow, group_new=new, group_start=start)


class _Extremes:
    """Per row, the ``low_k`` smallest and ``high_k`` largest values added so far."""

    def __init__(self, low_k: int, high_k: int) -> None:
        self.low_k = low_k
        self.high_k = high_k
        self.low: RankArray | None = None
        self.high: RankArray | None = None

    def add(self, block: RankArray) -> None:
        """Take in a block (rows, draws); the block itself may be reordered."""
        low = block.copy() if self.low is None else np.concatenate([self.low, block], axis=1)
        high = block if self.high is None else np.concatenate([self.high, block], axis=1)
        if low.shape[1] > self.low_k:
            low.partition(self.low_k - 1, axis=1)
            low = low[:, : self.low_k].copy()
        if high.shape[1] > self.high_k:
            high.partition(high.shape[1] - self.high_k, axis=1)
            high = high[:, -self.high_k :].copy()
        self.low, self.high = low, high

    def result(self, rows: int) -> tuple[IntArray, IntArray]:
        """The ``low_k``-th smallest and ``high_k``-th largest value of each row."""
        if self.low is None or self.high is None:
            empty = np.zeros(rows, dtype=np.int64)
            return empty, empty.copy()
        return self.low.max(axis=1).astype(np.int64), self.high.min(axis=1).astype(np.int64)
