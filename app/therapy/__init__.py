"""therapy domain."""
