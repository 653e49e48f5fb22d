"""Cycles, review import, person-centred reviews, one-page profiles and success indicators."""
