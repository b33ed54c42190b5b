"""Directory of structures: reading, checking and importing a list of organisations."""
