"""心理鸭 (Psych Duck) backend."""

__version__ = "0.1.0"
