"""Small counts are hidden, and hidden counts cannot be worked out from what is shown."""
from __future__ import annotations

import itertools
import random

import pytest

from goldenthread.privacy.suppression import (
    is_small,
    shown,
    suppress_inside,
    suppress_series,
    suppress_table,
    suppress_value,
)


def test_small_counts_are_hidden_zero_and_threshold_are_not():
    assert [is_small(n) for n in (0, 1, 4, 5, 6)] == [False, True, True, False, False]
    assert suppress_value(3) is None and suppress_value(5) == 5 and suppress_value(0) == 0
    assert suppress_value(9, threshold=10) is None


def test_a_row_with_one_small_cell_hides_the_next_smallest_too():
    assert suppress_table([[12, 2, 7]]) == [[12, None, None]]


def test_the_next_smallest_skips_zeros_when_it_can():
    assert suppress_table([[0, 3, 8, 6]]) == [[0, None, 8, None]]
    assert suppress_table([[0, 3]]) == [[None, None]]


def test_two_small_cells_in_a_row_need_nothing_more():
    assert suppress_table([[1, 2, 30]]) == [[None, None, 30]]


def test_secondary_suppression_runs_down_columns_and_repeats():
    table = [[20, 3, 9],
             [8, 15, 11],
             [30, 40, 50]]
    # Row 0: 3 is small, so 9 is hidden too. Column 1: 3 alone, so 15 goes. Column 2: 9 alone -> 11.
    # Row 1: 15 and 11 hidden: two, fine. Each column and row now has 0 or 2+ hidden cells.
    assert suppress_table(table) == [[20, None, None], [8, None, None], [30, 40, 50]]


def test_nothing_hidden_when_threshold_off_or_no_small_counts():
    assert suppress_table([[1, 2]], threshold=0) == [[1, 2]]
    assert suppress_table([[5, 6], [7, 8]]) == [[5, 6], [7, 8]]
    assert suppress_table([]) == []
    assert suppress_series([]) == []


def test_primary_only_when_asked():
    assert suppress_table([[12, 2, 7]], secondary=False) == [[12, None, 7]]


def test_ragged_tables_are_refused():
    with pytest.raises(ValueError):
        suppress_table([[1, 2], [3]])


def test_series_and_text():
    assert suppress_series([10, 4, 6, 6]) == [10, None, None, 6]
    assert shown(None) == "hidden" and shown(7) == "7"


def _solvable(original, result):
    """Could a hidden cell be worked out from the shown cells and the row and column totals?"""
    rows, cols = len(original), len(original[0])
    lines = [[(r, c) for c in range(cols)] for r in range(rows)] + [[(r, c) for r in range(rows)] for c in range(cols)]
    for cells in lines:
        if len(cells) > 1 and sum(result[r][c] is None for r, c in cells) == 1:
            return True
    return False


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_never_leave_a_lone_hidden_cell(seed):
    rng = random.Random(seed)
    rows, cols = rng.randint(1, 6), rng.randint(2, 6)
    table = [[rng.choice([0, 1, 2, 3, 4, 5, 8, 13, 20]) for _ in range(cols)] for _ in range(rows)]
    result = suppress_table(table)
    for r, c in itertools.product(range(rows), range(cols)):
        if is_small(table[r][c]):
            assert result[r][c] is None  # every small count is hidden
        if result[r][c] is not None:
            assert result[r][c] == table[r][c]  # shown cells are never changed
    assert not _solvable(table, result)


def test_the_inside_of_a_table_whose_totals_are_out_hides_a_partner_for_every_small_cell():
    """One theme's people by area (rows) and user group (columns); the row and column totals are already in the
    shared report. 9 and 7 in the first column stay; the 2 goes, and with it the 6 beside it in its row, and
    then one more cell in each column that has lost one, so no total minus the cells shown gives the 2 back."""
    assert suppress_inside([[9, 2, 6], [7, 8, 6]], [True, True], [True, True, True]) == [[9, None, None],
                                                                                         [7, None, None]]


def test_the_cells_of_a_hidden_total_are_hidden_with_it():
    """A total the report hides must not come back as the sum of its cells."""
    assert suppress_inside([[6, 7], [8, 9]], [True, False], [True, True])[1] == [None, None]


@pytest.mark.parametrize("seed", range(40))
def test_random_insides_never_leave_a_lone_hidden_cell_under_a_shown_total(seed):
    rng = random.Random(seed)
    rows, cols = rng.randint(1, 5), rng.randint(1, 5)
    table = [[rng.choice([0, 1, 2, 3, 4, 5, 8, 13, 20]) for _ in range(cols)] for _ in range(rows)]
    rows_shown = [rng.random() < 0.8 for _ in range(rows)]
    cols_shown = [rng.random() < 0.8 for _ in range(cols)]
    result = suppress_inside(table, rows_shown, cols_shown)
    for r, c in itertools.product(range(rows), range(cols)):
        if is_small(table[r][c]) or not rows_shown[r] or not cols_shown[c]:
            assert result[r][c] is None
        assert result[r][c] in (None, table[r][c])
    lines = [[result[r][c] for c in range(cols)] for r in range(rows) if rows_shown[r]]
    lines += [[result[r][c] for r in range(rows)] for c in range(cols) if cols_shown[c]]
    assert all(len(line) < 2 or sum(v is None for v in line) != 1 for line in lines)
