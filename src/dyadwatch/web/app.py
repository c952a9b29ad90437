"""The dyadwatch web app: server-rendered pages and a JSON API over one database.

`create_app` builds the FastAPI app; `run` serves it with uvicorn (wire it as
`dyadwatch serve`). Safe by default: it binds 127.0.0.1, escapes all document
text, sends a strict Content-Security-Policy, and accepts reviews only with the
write token given at start and a matching CSRF token (see security.py).
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from dyadwatch.errors import DyadwatchError
from dyadwatch.knowledge import load_knowledge
from dyadwatch.search import Searcher
from dyadwatch.store.database import Store
from dyadwatch.web.api import api_router
from dyadwatch.web.context import WebContext, make_templates, render
from dyadwatch.web.data import office_holders
from dyadwatch.web.pages import page_router
from dyadwatch.web.security import SECURITY_HEADERS, TOKEN_ENV

STATIC = Path(__file__).parent / "static"
PLOTLY_JS = Path("package_data") / "plotly.min.js"
# The names a browser uses for this machine. A server bound to loopback answers only to them, so a web page whose
# own host name was re-pointed at 127.0.0.1 (DNS rebinding) cannot read the documents through the analyst's browser.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
# plotly.min.js is large and changes only with the installed plotly: let the browser keep it for a day.
PLOTLY_CACHE = "public, max-age=86400"


def create_app(db: str | None = None, token: str | None = None, *,
               allowed_hosts: Sequence[str] | None = None) -> FastAPI:
    """The app over the database `db` (a path or SQLAlchemy URL; default as the CLI's).

    `token` (else $DYADWATCH_TOKEN) is the write token reviews must carry; without one the app is read-only.
    `allowed_hosts`, when given, are the only Host header names answered (`run` sets them for loopback binds).
    """
    # FastAPI's /docs and /redoc pages load their scripts from a CDN, which an offline tool cannot use;
    # the schema itself is served at /api/openapi.json.
    app = FastAPI(title="dyadwatch", summary="Evidence-linked events, figures and claims between two countries.",
                  version="0.1.0", openapi_url="/api/openapi.json", docs_url=None, redoc_url=None)
    knowledge = load_knowledge()  # read once: the search indexes and the actor pages' roles come from it
    app.state.web = WebContext(store=Store(db), token=token or os.environ.get(TOKEN_ENV) or None,
                               templates=make_templates(), searcher=Searcher.build(knowledge),
                               office_holders=office_holders(knowledge.actors))
    app.add_api_route("/static/plotly.min.js", plotly_js, methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api_router())
    app.include_router(page_router())
    app.add_exception_handler(DyadwatchError, dyadwatch_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.middleware("http")(security_headers)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    return app


def run(db: str | None, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Serve the app with uvicorn until interrupted (the `dyadwatch serve` command).

    Bound to loopback (the default) it answers only to loopback host names; bound elsewhere, to any.
    """
    import uvicorn

    hosts = LOOPBACK_HOSTS if is_loopback(host) else None
    uvicorn.run(create_app(db, token, allowed_hosts=hosts), host=host, port=port, log_level="info")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def plotly_path() -> Path | None:
    """plotly.min.js inside the installed `plotly` package (found without importing it), if there."""
    spec = importlib.util.find_spec("plotly")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / PLOTLY_JS
        if candidate.is_file():
            return candidate
    return None


def plotly_js() -> Response:
    path = plotly_path()
    if path is None:
        raise HTTPException(404, "plotly.min.js not found: install the `plotly` package to see charts")
    return FileResponse(path, media_type="text/javascript", headers={"Cache-Control": PLOTLY_CACHE})


async def dyadwatch_error(request: Request, error: Exception) -> Response:
    """A user-actionable error (bad review, unknown record…) as 400 with its message."""
    if _wants_json(request):
        return JSONResponse({"detail": str(error)}, status_code=400)
    return render(request, "error.html", {"status": 400, "message": str(error)}, status_code=400)


async def http_error(request: Request, error: Exception) -> Response:
    """HTTP errors as JSON under /api, as a page elsewhere."""
    assert isinstance(error, StarletteHTTPException)
    if _wants_json(request):
        return await http_exception_handler(request, error)
    return render(request, "error.html", {"status": error.status_code, "message": str(error.detail)},
                  status_code=error.status_code)


async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api")
