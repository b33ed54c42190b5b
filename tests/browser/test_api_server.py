"""The read API served by `make run`'s own process (`/api/v1/`, beside the pages): the
OpenAPI description, a CSV that `polars.read_csv` reads from its URL (the README's
example), and no figure without a token but the open ones."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import polars as pl

from browser.live_server import AppServer


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_api_server__serves_openapi_csv_and_refuses_closed_figures(app_server: AppServer):
    status, body = _get(f"{app_server.url}/api/v1/openapi.json")
    assert status == 200
    assert "/indicators/{indicator_id}" in json.loads(body)["paths"]

    table = pl.read_csv(f"{app_server.url}/api/v1/indicators/taux_participation.csv")
    assert {"indicator", "year", "group", "value", "secret"} <= set(table.columns)
    assert table.height >= 1
    assert set(table["indicator"].to_list()) == {"taux_participation"}

    status, body = _get(f"{app_server.url}/api/v1/indicators")
    closed = next(i["id"] for i in json.loads(body)["indicators"] if not i["public"])
    status, body = _get(f"{app_server.url}/api/v1/indicators/{closed}")
    assert status == 401
    assert json.loads(body)["error"]["code"] == "AUTH_REQUIRED"
