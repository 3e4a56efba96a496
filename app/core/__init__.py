"""Thin platform core: settings, database, security, errors, logging, metrics, rate limits."""
