"""Users' links to partner companies and API tokens (see issue 4)."""
