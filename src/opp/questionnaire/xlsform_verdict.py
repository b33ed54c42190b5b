"""pyxform's verdict on a workbook: the form ODK and KoboToolbox would accept, or why not.

OPP maps a form onto its own model (`xlsform_import`); pyxform, the reference converter,
decides whether the workbook is a valid XLSForm at all. A form it refuses is refused by
OPP too, with its reason located at the sheet, row and column it names. The conversion
runs on pyxform's own reading of the workbook, without ODK Validate (Java) and without
any network access.
"""

from __future__ import annotations

import copy
import logging

from pyxform.builder import create_survey_element_from_dict
from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json

from opp.errors import OppError
from opp.questionnaire.xlsform_workbook import Workbook, refused

log = logging.getLogger(__name__)


def pyxform_refusal(book: Workbook, filename: str) -> OppError | None:
    """None when pyxform converts the form to an XForm; else the located refusal."""
    warnings: list[str] = []
    try:
        definition = copy.deepcopy(book.definition)
        data = workbook_to_json(
            workbook_dict=definition,
            form_name=None,
            fallback_form_name=definition.fallback_form_name or "data",
            default_language=None,
            warnings=warnings,
        )
        survey = create_survey_element_from_dict(data)
        survey.to_xml(validate=False, warnings=warnings)
    except PyXFormError as exc:
        return refused(filename, str(exc))
    except (RecursionError, MemoryError):
        return refused(filename, "form too deeply nested")
    except Exception as exc:  # noqa: BLE001 - a crash of the converter is a refusal too
        log.warning("pyxform failed on %s: %r", filename, exc)
        return refused(filename, f"{type(exc).__name__}: {exc}")
    return None


def pyxform_warnings(book: Workbook) -> list[str]:
    """pyxform's warnings for a form it accepts (used by the export check)."""
    warnings: list[str] = []
    definition = copy.deepcopy(book.definition)
    data = workbook_to_json(
        workbook_dict=definition,
        form_name=None,
        fallback_form_name="data",
        default_language=None,
        warnings=warnings,
    )
    create_survey_element_from_dict(data).to_xml(validate=False, warnings=warnings)
    return warnings
