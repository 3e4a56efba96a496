"""Serve the web client at ``/`` and ``/assets/*`` (development and test; nginx serves the same files in
every deployed environment, from roles/nginx). The headers match the load balancer's, CSP included, so
a page that passes here passes there (tests/unit/test_web_static.py compares the two)."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from app.core.errors import AppError, ErrorCode

STATIC_DIR = Path(__file__).resolve().parent / "static"

#: the Content-Security-Policy of the page (the same string as roles/nginx/templates/duck-headers.conf.j2)
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
#: the modules are not fingerprinted: the browser revalidates (ETag / Last-Modified -> 304) on every use,
#: so a release never mixes old and new modules
CACHE_CONTROL = "no-cache"

router = APIRouter(include_in_schema=False)


@router.api_route("/", methods=["GET", "HEAD"])
async def index(request: Request) -> Response:
    page = STATIC_DIR / "index.html"
    if not page.is_file():  # pragma: no cover - a broken install
        raise AppError(ErrorCode.NOT_FOUND, status=404)
    return FileResponse(page, media_type="text/html; charset=utf-8", headers=_headers())


@router.api_route("/favicon.ico", methods=["GET", "HEAD"])
async def favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the page says: the duck (SVG)."""
    return FileResponse(STATIC_DIR / "assets" / "duck.svg", media_type="image/svg+xml", headers=_headers())


def _headers() -> dict[str, str]:
    return {**SECURITY_HEADERS, "Cache-Control": CACHE_CONTROL}


class _Assets(StaticFiles):
    """The client's assets, with the page's security and cache headers."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers.update(_headers())
        return response


def assets_app() -> StaticFiles:
    return _Assets(directory=STATIC_DIR / "assets")
