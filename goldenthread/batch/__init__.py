"""Batch theming over the database: a whole council's (or region's) statements at once.

The guide's workshop works well for a few dozen reviews; past that, people need
the software to group every statement first. This app runs the theme engine's
resumable Dask pipeline (:func:`goldenthread.engine.batch.run_batch`) over the
anonymised card text of one or more cycles and writes the result back as a
*proposal* (:class:`~goldenthread.batch.models.ProposedTheme` rows) that a
person checks, renames and confirms - the software never decides the themes.
"""
