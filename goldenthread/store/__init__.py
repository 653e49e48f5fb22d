"""The store: Django models and the code that writes them (import, demo data, roles)."""
