"""Small-number suppression: hide counts so no one can be picked out.

A count of *people* smaller than the threshold (``GOLDENTHREAD_SUPPRESS_BELOW``,
default 5) could point to someone: "2 people in Northbrook said the bus does
not run after six" may be enough to name them. So every output shared beyond
the workshop team hides those counts. Zero is never hidden: it tells no one
anything about a person.

Hiding one cell is not enough when totals are shown. If a row reads
``12, hidden, 7`` and its total is 21, anyone can work out the hidden 2. So
after the *primary* suppression we do *secondary* suppression: in every row
and every column that has exactly one hidden cell, we also hide the smallest
shown cell that is not zero (or a zero if nothing else is left). Hiding one
cell can leave another line with exactly one hidden cell, so we repeat until
nothing changes.

A hidden cell is ``None`` in the result. Plain Python, no Django: the report
code and the tests both call these functions directly.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["DEFAULT_THRESHOLD", "is_small", "suppress_value", "suppress_series", "suppress_table", "suppress_inside",
           "shown"]

#: Counts below this many people are hidden unless settings say otherwise.
DEFAULT_THRESHOLD = 5


def is_small(count: int, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """True for a count that must be hidden on its own: more than 0 and fewer than ``threshold``."""
    return 0 < count < threshold


def suppress_value(count: int, threshold: int = DEFAULT_THRESHOLD) -> int | None:
    """One count on its own (no totals beside it): ``None`` if it is small."""
    return None if is_small(count, threshold) else count


def _pick_second(values: list[int | None], hidden: set[int]) -> int | None:
    """The index of the smallest shown cell, preferring cells that are not zero."""
    shown_idx = [i for i, v in enumerate(values) if i not in hidden]
    if not shown_idx:
        return None
    non_zero = [i for i in shown_idx if values[i]]
    pool = non_zero or shown_idx
    return min(pool, key=lambda i: (values[i], i))


def suppress_table(table: Sequence[Sequence[int]], threshold: int = DEFAULT_THRESHOLD,
                   *, secondary: bool = True, hide: Iterable[tuple[int, int]] = ()) -> list[list[int | None]]:
    """Hide small counts in a table of people counts, then hide enough others to protect them.

    ``table`` is a list of rows of whole numbers, all rows the same length.
    Returns a new table of the same shape with hidden cells set to ``None``.
    With ``threshold`` of 0 or 1 nothing is hidden. ``hide`` names (row, column) cells to hide whatever their
    count (because another output hides them), protected like the small ones.

    >>> suppress_table([[12, 2, 7]])
    [[12, None, None]]
    """
    rows = [list(r) for r in table]
    if not rows:
        return []
    width = len(rows[0])
    if any(len(r) != width for r in rows):
        raise ValueError("every row must have the same number of cells")
    hidden = {(r, c) for r, row in enumerate(rows) for c, v in enumerate(row) if is_small(v, threshold)}
    hidden |= set(hide)
    if secondary:
        lines = [[(r, c) for c in range(width)] for r in range(len(rows))]
        lines += [[(r, c) for r in range(len(rows))] for c in range(width)]
        _hide_second_cells(rows, hidden, lines)
    return [[None if (r, c) in hidden else v for c, v in enumerate(row)] for r, row in enumerate(rows)]


def _hide_second_cells(rows, hidden: set, lines) -> None:
    """Secondary suppression: in every line (a list of cells whose total is shown) with exactly one hidden
    cell, hide one more (:func:`_pick_second`), until nothing changes. ``hidden`` grows in place."""
    changed = bool(hidden)
    while changed:
        changed = False
        for cells in lines:
            if sum(cell in hidden for cell in cells) != 1 or len(cells) < 2:
                continue
            values = [rows[r][c] for r, c in cells]
            pick = _pick_second(values, {i for i, cell in enumerate(cells) if cell in hidden})
            if pick is not None:
                hidden.add(cells[pick])
                changed = True


def suppress_series(values: Sequence[int], threshold: int = DEFAULT_THRESHOLD,
                    *, secondary: bool = True) -> list[int | None]:
    """One list of counts (one bar chart): a table with a single row."""
    if not values:
        return []
    return suppress_table([list(values)], threshold, secondary=secondary)[0]


def suppress_inside(table: Sequence[Sequence[int]], rows_shown: Sequence[bool], columns_shown: Sequence[bool],
                    threshold: int = DEFAULT_THRESHOLD) -> list[list[int | None]]:
    """Hide the inside of a table whose row and column totals are published elsewhere, already suppressed.

    The cells are people counts that add up to those totals (say one theme's people by area, rows, and by user
    group, columns). ``rows_shown[r]`` / ``columns_shown[c]`` say whether row ``r``'s / column ``c``'s total
    is shown. The totals cannot be hidden any more (they are out), so: every cell of a line whose total is
    hidden is hidden (the cells would add up to it); small cells are hidden; then, in every line whose total
    is shown and that has exactly one hidden cell, the smallest other shown cell is hidden too, until nothing
    changes. A line with one cell only equals its total: it is hidden when the total is.

    >>> suppress_inside([[9, 2, 6], [7, 8, 6]], [True, True], [True, True, True])
    [[9, None, None], [7, None, None]]
    >>> suppress_inside([[6, 5], [7, 8], [9, 9]], [True, False, True], [True, True])
    [[None, None], [None, None], [9, 9]]
    """
    rows = [list(r) for r in table]
    width = len(columns_shown)
    if any(len(r) != width for r in rows) or len(rows) != len(rows_shown):
        raise ValueError("the table must have one total flag per row and per column")
    hidden = {(r, c) for r in range(len(rows)) for c in range(width)
              if not rows_shown[r] or not columns_shown[c] or is_small(rows[r][c], threshold)}
    lines = [[(r, c) for c in range(width)] for r in range(len(rows)) if rows_shown[r]]
    lines += [[(r, c) for r in range(len(rows))] for c in range(width) if columns_shown[c]]
    _hide_second_cells(rows, hidden, lines)
    return [[None if (r, c) in hidden else v for c, v in enumerate(row)] for r, row in enumerate(rows)]


def shown(value: int | None, hidden_text: str = "hidden") -> str:
    """A count as text for a report: the number, or ``hidden_text`` when it was suppressed."""
    return hidden_text if value is None else str(value)
