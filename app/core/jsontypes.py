"""Field types for strict request bodies that accept exactly what their JSON Schema says.

Request models are ``strict`` (``"5"`` is not 5, ``false`` is not 0). JSON Schema's ``integer`` is
a number with no fractional part, so ``5.0`` is one: ``INTEGRAL`` takes it (and still refuses ``true``,
``"5"`` and ``5.5``). Constraints go before it, or the document gets ``ge`` instead of ``minimum``::

    score: Annotated[int, Field(ge=1, le=5), INTEGRAL] | None = None
"""

from __future__ import annotations

from typing import Any

from pydantic import BeforeValidator


def _integral(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: accept an integral JSON number (``5.0``) where an integer is declared
INTEGRAL = BeforeValidator(_integral)
