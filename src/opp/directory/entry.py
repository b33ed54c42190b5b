"""A structure's record as the directory knows it, checked field by field.

`check_fields` turns what a form or a caller gives (texts or codes) into an
`OrganisationFields` with every value normalised by `opp.directory.values`, or raises the
first problem as an `OppError` naming the field. The store calls it again before writing.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from opp import geo
from opp.directory import values
from opp.errors import OppError
from opp.i18n import LANGUAGES


class OrganisationFields(BaseModel):
    """The editable part of an organisation's record (normalised values)."""

    model_config = ConfigDict(frozen=True)

    name: str
    structure_type: str
    filieres: list[str]
    siret: str | None = None
    commune: str | None = None
    email: str | None = None
    labels: list[str] = []
    legal_form: str | None = None

    @property
    def departement(self) -> str | None:
        return geo.departement_of(self.commune)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple | set):
        return ";".join(str(v) for v in value)
    return str(value)


def check_fields(
    *,
    name: Any,
    structure_type: Any,
    filieres: Any,
    siret: Any = None,
    commune: Any = None,
    email: Any = None,
    labels: Any = None,
    legal_form: Any = None,
) -> OrganisationFields:
    """Every value through its parser; the first problem is raised with the field named."""
    parsers = (
        ("name", values.parse_name, name),
        ("structure_type", values.parse_structure_type, structure_type),
        ("filieres", values.parse_filieres, filieres),
        ("siret", values.parse_siret, siret),
        ("commune", values.parse_commune, commune),
        ("email", values.parse_email, email),
        ("labels", values.parse_labels, labels),
        ("legal_form", values.parse_legal_form, legal_form),
    )
    checked: dict[str, Any] = {}
    for field, parse, raw in parsers:
        try:
            checked[field] = parse(_text(raw))
        except OppError as err:
            raise field_error(field, err) from None
    if not checked["filieres"]:
        raise OppError("ORG_FILIERE_REQUIRED")
    checked["labels"] = checked["labels"] or []
    return OrganisationFields(**checked)


def field_error(field: str, err: OppError) -> OppError:
    """The same problem, prefixed with the field it concerns (for forms)."""
    return OppError(
        "DIR_FIELD",
        field=values.FIELD_LABELS[field],
        message={lang: err.inline(lang) for lang in LANGUAGES},
    )


def differences(before: OrganisationFields, after: OrganisationFields) -> dict[str, Any]:
    """Fields whose value changes: field → (before, after)."""
    return {
        name: (getattr(before, name), getattr(after, name))
        for name in OrganisationFields.model_fields
        if _comparable(getattr(before, name)) != _comparable(getattr(after, name))
    }


def _comparable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(sorted(value))
    return value


def fields_of(record: Any) -> OrganisationFields:
    """The editable fields of a stored organisation (values already normalised)."""
    return OrganisationFields(
        name=record.name,
        structure_type=record.structure_type,
        filieres=list(record.filieres or []),
        siret=record.siret,
        commune=record.commune,
        email=record.email,
        labels=list(record.labels or []),
        legal_form=record.legal_form,
    )
