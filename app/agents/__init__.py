"""The duck's CrewAI crew.  ``runtime`` is imported first: it sets CrewAI's offline switches and a private,
wiped HOME before crewai is ever imported."""

from app.agents import runtime as _runtime  # noqa: F401  (must run before any crewai import)
