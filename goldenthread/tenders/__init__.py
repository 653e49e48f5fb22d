"""Tenders people help decide: the tender pack and the people's panel (issue #28 part 3)."""
