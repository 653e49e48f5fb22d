"""What every app shares: the statement vocabulary, lookups, roles, audit helpers and the one adapter to the theme engine."""
