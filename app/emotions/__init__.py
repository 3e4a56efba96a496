"""emotions domain."""
