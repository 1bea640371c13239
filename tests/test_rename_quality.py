"""Rename detection quality, measured on generated schemas against known ground truth.

The generator and the scoring live in bench/ (`bench.rename_gen`, `bench.rename_quality`),
where `python -m bench.rename_quality` prints the per-category table docs/RENAMES.md shows;
this test holds the detector to the published targets on the same numbers: precision >= 0.98
counting decoys, recall >= 0.90 on renames that keep the type, no more than 2% of decoys
turned into renames, and every category represented (a generator that stopped producing hard
cases would otherwise pass silently).
"""

from __future__ import annotations

import pytest
from bench.rename_gen import CATEGORIES
from bench.rename_quality import Quality, markdown, measure
from bench.rename_vocab import GEN_SYNONYMS

from schemaudit.diff.names import word_match


@pytest.fixture(scope="module")
def quality() -> Quality:
    return measure()


def test_precision_counts_decoys(quality: Quality) -> None:
    summary = markdown(quality)
    print(summary)
    assert quality.mutations >= 2500, summary
    assert len(quality.decoys) >= 200, summary
    assert quality.precision >= 0.98, summary


def test_recall_on_renames_that_keep_the_type(quality: Quality) -> None:
    hit, total = quality.recall(quality.keep_type)
    assert total >= 600 and hit / total >= 0.90, markdown(quality)


def test_decoys_rarely_become_renames(quality: Quality) -> None:
    for kind, count, false, _near in quality.decoy_rows():
        assert count >= 50 and false / count <= 0.02, (kind, markdown(quality))


def test_every_category_is_exercised(quality: Quality) -> None:
    seen = {cat for cat in quality.true.values()}
    assert seen == set(CATEGORIES), seen
    for kind, cat, n, _planned, _near in quality.rows():
        assert n >= 5 or kind == "table", (kind, cat, n)


def test_renames_held_back_are_near_misses(quality: Quality) -> None:
    """Most renames the detector does not plan are still shown, with the hint to accept them;
    decoys are shown too (a person decides, the plan does not)."""
    rest = [(k, c) for k, c in quality.true.items() if k not in quality.planned]
    shown = sum(k in quality.near for k, _ in rest)
    assert shown >= len(rest) / 2, markdown(quality)
    decoys_shown = sum(k in quality.near for k in quality.decoys if k[1] == "column")
    assert decoys_shown >= 0.5 * sum(1 for k in quality.decoys if k[1] == "column"), markdown(quality)


def test_unknown_synonyms_are_unknown_to_the_detector() -> None:
    """The 'unknown synonym' category holds swaps the detector's vocabulary lacks, by asking it."""
    unknown = [(a, b) for a, b in GEN_SYNONYMS.items() if word_match(a, b) == 0]
    assert len(unknown) >= 10, unknown
