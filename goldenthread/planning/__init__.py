"""Team planning for a provider's strategic plan (and, beside it, the staff and service matching to come)."""
