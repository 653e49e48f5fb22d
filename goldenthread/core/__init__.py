"""What every app shares: statement kinds, lookups, roles, audit helpers and the one adapter to the theme engine."""
