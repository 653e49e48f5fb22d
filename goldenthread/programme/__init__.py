"""The programme around the workshop: preparation, the right people, evaluation, and following actions."""
