"""The migration history of the tables every app uses; the models now live in core, reviews, planning,
workshops and reporting (see docs/architecture.md)."""
