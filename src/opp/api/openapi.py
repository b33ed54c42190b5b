"""The OpenAPI 3.1 description of `/api/v1/` (served at `/api/v1/openapi.json`)."""

from __future__ import annotations

from typing import Any

from opp import geo
from opp.indicators.model import FILTER_DIMENSIONS

_ERROR = {
    "description": "Error: `error.code` and a message in French (or English with "
    "`lang=en` / `Accept-Language: en`) saying what is wrong and how to fix it.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
_FILTERS = [
    {
        "name": "year",
        "in": "query",
        "schema": {"type": "integer"},
        "description": "Reference year (default: the latest published).",
    },
    *[
        {
            "name": d,
            "in": "query",
            "schema": {"type": "string"},
            "description": f"Only this {d} (code).",
        }
        for d in FILTER_DIMENSIONS
    ],
    {
        "name": "territoire",
        "in": "query",
        "schema": {"type": "string", "enum": list(geo.groupings())},
        "description": "Only this grouping of départements (data/geo/territoires.yaml); "
        "not with departement.",
    },
    {
        "name": "breakdown",
        "in": "query",
        "schema": {
            "type": "string",
            "enum": [
                "reference_year",
                *FILTER_DIMENSIONS,
                *(family.id for family in geo.grouping_families()),
            ],
        },
        "description": "One row per value of this dimension (plus the whole population).",
    },
    {
        "name": "format",
        "in": "query",
        "schema": {"type": "string", "enum": ["json", "csv"]},
        "description": "csv: the same cells as CSV (or end the path with .csv).",
    },
]
_RESULT = {
    "description": "The published cells (same as the dashboards).",
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Result"}},
        "text/csv": {"schema": {"type": "string"}},
    },
}


def document() -> dict[str, Any]:
    nullable_number = {"type": ["number", "null"]}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "OPP — API de lecture",
            "version": "1",
            "description": (
                "Read-only figures of the Occitanie live-performance observation, from the "
                "latest release, through the same statistical confidentiality layer as the "
                "dashboards: suppressed cells have a null value and a `secret` reason; "
                "published values are slightly perturbed. Authenticate with a personal "
                "token from 'Mon compte' (`Authorization: Bearer opp_…`): it sees what its "
                "account sees. Without a token, only what visitors who are not signed in "
                "see (participation). Rate limited per token and per address."
            ),
            "license": {"name": "Licence Ouverte / Etalab 2.0"},
        },
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {
                            "type": "object",
                            "properties": {
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                            },
                        }
                    },
                },
                "Cell": {
                    "type": "object",
                    "properties": {
                        "group": {"type": ["string", "null"]},
                        "group_label_fr": {"type": "string"},
                        "group_label_en": {"type": "string"},
                        "is_total": {"type": "boolean"},
                        "series": {"type": "string"},
                        "category": {"type": ["string", "null"]},
                        "value": nullable_number,
                        "contributors": {"type": ["integer", "null"]},
                        "secret": {
                            "type": ["string", "null"],
                            "enum": [
                                None,
                                "min_contributors",
                                "dominance",
                                "p_percent",
                                "differencing",
                            ],
                        },
                        "secret_reason_fr": {"type": ["string", "null"]},
                        "secret_reason_en": {"type": ["string", "null"]},
                    },
                },
                "Result": {
                    "type": "object",
                    "properties": {
                        "indicator": {"type": "object"},
                        "release": {"type": "object"},
                        "filters": {"type": "object"},
                        "breakdown": {"type": ["string", "null"]},
                        "refused": {"type": "boolean"},
                        "cells": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Cell"},
                        },
                    },
                },
            },
        },
        "security": [{"token": []}, {}],
        "paths": {
            "/indicators": {
                "get": {
                    "summary": "Indicator catalogue: ids, labels, definitions, units, "
                    "breakdowns; `public` when readable without a token",
                    "responses": {"200": {"description": "The catalogue"}, "429": _ERROR},
                }
            },
            "/indicators/{indicator_id}": {
                "get": {
                    "summary": "One indicator's published cells for the filters and breakdown",
                    "parameters": [
                        {
                            "name": "indicator_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                            "description": "Indicator id; add .csv for CSV",
                        },
                        *_FILTERS,
                    ],
                    "responses": {
                        "200": _RESULT,
                        "400": _ERROR,
                        "401": _ERROR,
                        "403": _ERROR,
                        "404": _ERROR,
                        "429": _ERROR,
                    },
                }
            },
            "/campaigns": {
                "get": {
                    "summary": "Campaigns (filière, year, dates, state) with the link to "
                    "their participation",
                    "responses": {"200": {"description": "The campaigns"}, "429": _ERROR},
                }
            },
            "/campaigns/{campaign_id}/participation": {
                "get": {
                    "summary": "Participation rate of a campaign (its filière and year)",
                    "parameters": [
                        {
                            "name": "campaign_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        *[p for p in _FILTERS if p["name"] in ("breakdown", "format")],
                    ],
                    "responses": {"200": _RESULT, "403": _ERROR, "404": _ERROR, "429": _ERROR},
                }
            },
        },
    }
