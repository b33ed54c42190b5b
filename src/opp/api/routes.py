"""`/api/v1/`: read-only HTTP routes (Starlette), served by the app's own process.

Every figure comes from `opp.indicators.service.result` on the latest release — the
function the dashboards call, with the same filters, scope and disclosure layer — so an
API cell is the dashboard's cell. A request carries a personal token
(`Authorization: Bearer opp_…`, created in "Mon compte") and then sees what its account
sees; without one, only what OPP shows to visitors who are not signed in (participation,
the catalogue, campaigns). No route writes anything but the token's last use.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from opp import clock
from opp.access import client
from opp.access.viewer import Viewer
from opp.api import figures, openapi
from opp.api.ratelimit import RateLimiter
from opp.errors import OppError
from opp.indicators.catalogue import IndicatorCatalogue
from opp.indicators.engine import Filters
from opp.indicators.model import FILTER_DIMENSIONS
from opp.indicators.service import PUBLIC_DOMAINS, FrameSource, result
from opp.services import api_tokens, campaigns
from opp.services.auth import ANONYMOUS
from opp.services.storage import Store

TOKEN_LIMIT = 120  # requests per minute and token
ANONYMOUS_LIMIT = 30  # requests per minute and client address, without a token
PARTICIPATION = "taux_participation"

STATUS = {
    "AUTH_REQUIRED": 401,
    "API_TOKEN_INVALID": 401,
    "API_TOKEN_EXPIRED": 401,
    "API_TOKEN_REVOKED": 401,
    "API_TOKEN_ACCOUNT": 401,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "I_NOT_FOUND": 404,
    "RELEASE_NONE": 404,
    "API_RATE_LIMITED": 429,
}


@dataclass
class Backend:
    """Where the routes get their data (the app passes its cached frames, tests their
    own): the store, the indicator catalogue and the latest release's frames."""

    store: Callable[[], Store]
    catalogue: Callable[[], IndicatorCatalogue]
    frames: Callable[[], FrameSource]
    token_limiter: RateLimiter = field(default_factory=lambda: RateLimiter(TOKEN_LIMIT))
    anonymous_limiter: RateLimiter = field(default_factory=lambda: RateLimiter(ANONYMOUS_LIMIT))


def _lang(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.headers.get("accept-language", "")
    return "en" if chosen.lower().startswith("en") else "fr"


def _error(request: Request, err: OppError, headers: dict[str, str] | None = None) -> Response:
    status = STATUS.get(err.code, 400)
    body = {"error": {"code": err.code, "message": err.message(_lang(request))}}
    return JSONResponse(body, status_code=status, headers=headers)


def _client(request: Request) -> str:
    peer = request.client.host if request.client else None
    return client.client_address(
        peer, request.headers.get("x-forwarded-for"), client.trusted_proxies()
    )


def _viewer(backend: Backend, request: Request) -> Viewer | None:
    """The token's viewer (None without a token), after the rate limit; raises OppError."""
    header = request.headers.get("authorization", "")
    if not header:
        _limit(backend.anonymous_limiter, "ip:" + _client(request), ANONYMOUS_LIMIT)
        return None
    scheme, _, token = header.partition(" ")
    try:
        if scheme.lower() != "bearer":
            raise OppError("API_TOKEN_INVALID")
        viewer, row = api_tokens.authenticate(backend.store(), token.strip())
    except OppError:
        _limit(backend.anonymous_limiter, "ip:" + _client(request), ANONYMOUS_LIMIT)
        raise
    _limit(backend.token_limiter, "token:" + row.id, TOKEN_LIMIT)
    return viewer


def _limit(limiter: RateLimiter, key: str, limit: int) -> None:
    seconds = limiter.wait(key)
    if seconds:
        raise OppError("API_RATE_LIMITED", limit=limiter.limit or limit, seconds=seconds)


def _filters(request: Request, frames: FrameSource) -> Filters:
    query = request.query_params
    years = frames.years()
    raw = query.get("year")
    if raw is None:
        if not years:
            raise OppError("RELEASE_NONE")
        year = years[0]
    else:
        try:
            year = int(raw)
        except ValueError:
            raise OppError("API_YEAR", value=raw[:20], expected=years) from None
        if year not in years:
            raise OppError("API_YEAR", value=raw[:20], expected=years)
    values = {d: query.get(d) or None for d in FILTER_DIMENSIONS}
    return Filters(reference_year=year, territoire=query.get("territoire") or None, **values)


def _respond(request: Request, shown: Any, as_csv: bool) -> Response:
    if as_csv:
        name = f"{shown.indicator.id}_{shown.filters.reference_year}.csv"
        return ranged(
            request,
            figures.to_csv(shown).encode(),
            "text/csv; charset=utf-8",
            {"content-disposition": f'inline; filename="{name}"'},
        )
    return JSONResponse(figures.payload(shown))


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def ranged(request: Request, body: bytes, media_type: str, headers: dict[str, str]) -> Response:
    """The body, or the one byte range asked for (`Range: bytes=a-b`): readers such as
    `polars.read_csv(url)` fetch a file by ranges. The ETag (a digest of the content) lets
    them check that the parts belong to the same file."""
    headers = {
        **headers,
        "accept-ranges": "bytes",
        "etag": '"' + hashlib.sha256(body).hexdigest()[:32] + '"',
    }
    asked = _RANGE.match(request.headers.get("range", "").strip())
    if not asked or not (asked[1] or asked[2]):
        return Response(body, media_type=media_type, headers=headers)
    size = len(body)
    if asked[1]:
        start = int(asked[1])
        end = min(int(asked[2]), size - 1) if asked[2] else size - 1
    else:
        start, end = max(0, size - int(asked[2])), size - 1
    if start >= size or start > end:
        return Response(
            b"", status_code=416, headers={**headers, "content-range": f"bytes */{size}"}
        )
    return Response(
        body[start : end + 1],
        status_code=206,
        media_type=media_type,
        headers={**headers, "content-range": f"bytes {start}-{end}/{size}"},
    )


def routes(backend: Backend) -> list[BaseRoute]:
    """The routes, to be mounted at `/api/v1`."""

    def guarded(handler: Callable[[Request], Response]) -> Callable[[Request], Response]:
        def endpoint(request: Request) -> Response:
            try:
                response = handler(request)
            except OppError as err:
                headers = None
                if err.code == "API_RATE_LIMITED":
                    headers = {"retry-after": str(err.params.get("seconds", 60))}
                return _error(request, err, headers)
            response.headers["cache-control"] = "no-store"
            return response

        return endpoint

    def index(request: Request) -> Response:
        _viewer(backend, request)
        return JSONResponse(
            {
                "name": "OPP — API de lecture",
                "openapi": str(request.url_for("openapi")),
                "indicators": str(request.url_for("indicators")),
                "campaigns": str(request.url_for("campaigns")),
            }
        )

    def spec(_request: Request) -> Response:
        return JSONResponse(openapi.document())

    def indicators(request: Request) -> Response:
        _viewer(backend, request)
        catalogue = backend.catalogue()
        return JSONResponse(
            {
                "indicators": [
                    {**figures.describe(i), "public": i.domain in PUBLIC_DOMAINS}
                    for i in catalogue.indicators.values()
                ]
            }
        )

    def indicator(request: Request) -> Response:
        viewer = _viewer(backend, request)
        ident = request.path_params["indicator_id"]
        as_csv = ident.endswith(".csv") or request.query_params.get("format") == "csv"
        found = backend.catalogue().get(ident.removesuffix(".csv"))
        frames = backend.frames()
        shown = result(
            frames, found, _filters(request, frames), request.query_params.get("breakdown"), viewer
        )
        return _respond(request, shown, as_csv)

    def campaign_list(request: Request) -> Response:
        viewer = _viewer(backend, request)
        store = backend.store()
        today = clock.today()
        listed = campaigns.list_all(store, viewer or ANONYMOUS)
        return JSONResponse(
            {
                "campaigns": [
                    {
                        "id": c.id,
                        "filiere": c.filiere,
                        "questionnaire_id": c.questionnaire_id,
                        "questionnaire_version": c.questionnaire_version,
                        "year": c.reference_year,
                        "title": c.titles(),
                        "opens_on": c.opens_on.isoformat(),
                        "closes_on": c.closes_on.isoformat(),
                        "state": c.state(today),
                        "participation": str(request.url_for("participation", campaign_id=c.id)),
                    }
                    for c in listed
                ]
            }
        )

    def participation(request: Request) -> Response:
        viewer = _viewer(backend, request)
        ident = request.path_params["campaign_id"]
        as_csv = ident.endswith(".csv") or request.query_params.get("format") == "csv"
        campaign = campaigns.get(backend.store(), viewer or ANONYMOUS, ident.removesuffix(".csv"))
        frames = backend.frames()
        if campaign.reference_year not in frames.years():
            raise OppError("API_YEAR", value=campaign.reference_year, expected=frames.years())
        shown = result(
            frames,
            backend.catalogue().get(PARTICIPATION),
            Filters(reference_year=campaign.reference_year, filiere=campaign.filiere),
            request.query_params.get("breakdown"),
            viewer,
        )
        return _respond(request, shown, as_csv)

    return [
        Route("/", guarded(index), name="index"),
        Route("/openapi.json", guarded(spec), name="openapi"),
        Route("/indicators", guarded(indicators), name="indicators"),
        Route("/indicators/{indicator_id}", guarded(indicator), name="indicator"),
        Route("/campaigns", guarded(campaign_list), name="campaigns"),
        Route(
            "/campaigns/{campaign_id}/participation",
            guarded(participation),
            name="participation",
        ),
    ]
