"""The OpenAPI document says what this deployment accepts.

FastAPI builds the document from the models; two things need this deployment's view:

* limits that are settings (``MAX_MESSAGE_CHARS``, ``PASSWORD_MIN_LENGTH``): a request model marks the
  field with ``settings_bound(minLength="password_min_length")`` and the document gets the setting's
  value (tightened only, never loosened past the model's own hard bound);
* header, query and path parameters cannot be JSON ``null``: an optional one is simply left out, so
  the ``{"type": "null"}`` branch FastAPI writes for ``X | None`` is dropped (a generator would send
  an empty header or ``?since=`` for it, which the server rightly refuses).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.core.config import Settings

SETTINGS_KEY = "x-duck-settings"
_TIGHTER: dict[str, Callable[[int, int], int]] = {"minLength": max, "maxLength": min}


def settings_bound(**bounds: str) -> dict[str, Any]:
    """``json_schema_extra`` for a field whose length limit is a setting: keyword = JSON Schema keyword
    (``minLength``/``maxLength``), value = the ``Settings`` attribute."""
    unknown = set(bounds) - set(_TIGHTER)
    if unknown:
        raise ValueError(f"settings_bound: unsupported keyword(s) {sorted(unknown)}")
    return {SETTINGS_KEY: dict(bounds)}


def _apply_settings(node: Any, settings: Settings) -> None:
    if isinstance(node, dict):
        bounds = node.pop(SETTINGS_KEY, None)
        if bounds:
            for keyword, attr in bounds.items():
                value = int(getattr(settings, attr))
                current = node.get(keyword)
                node[keyword] = value if current is None else _TIGHTER[keyword](int(current), value)
        for child in node.values():
            _apply_settings(child, settings)
    elif isinstance(node, list):
        for child in node:
            _apply_settings(child, settings)


def _drop_null(schema: dict[str, Any]) -> dict[str, Any]:
    branches = schema.get("anyOf")
    if not isinstance(branches, list):
        return schema
    kept = [b for b in branches if b != {"type": "null"}]
    if len(kept) == len(branches) or not kept:
        return schema
    rest = {k: v for k, v in schema.items() if k != "anyOf"}
    if len(kept) == 1:
        return {**kept[0], **rest}
    return {**rest, "anyOf": kept}


def _non_null_parameters(document: dict[str, Any]) -> None:
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if isinstance(parameter.get("schema"), dict):
                    parameter["schema"] = _drop_null(parameter["schema"])


def build_openapi(app: FastAPI, settings: Settings) -> dict[str, Any]:
    document = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        servers=app.servers,
    )
    _apply_settings(document, settings)
    _non_null_parameters(document)
    return document


def install_openapi(app: FastAPI, settings: Settings) -> None:
    """Replace ``app.openapi`` with the deployment-aware document (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app, settings)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
