"""The page guard: users see a generic message with a reference, tests see the crash.

`guarded()` turns an unexpected exception into "erreur inattendue (réf. …)" so that no
traceback reaches a user; under tests (tests/conftest.py sets OPP_FAIL_ON_PAGE_ERROR) it
also keeps the exception, and the autouse fixture `page_errors_fail_the_test` fails the
test with it, so an app test cannot pass on a page that crashed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from opp.store import stats
from opp.ui import state


def _broken_overview(*_args: object, **_kwargs: object) -> dict[str, object]:
    raise RuntimeError("overview exploded")


def test_page_guard__a_crash_inside_a_page_is_kept_for_the_test(
    run_app, demo_file, monkeypatch, expected_page_errors
):
    monkeypatch.setattr(stats, "overview", _broken_overview)
    at = run_app(demo_file)
    # The visitor sees the generic message with a reference, never the exception text.
    assert not at.exception
    assert any("inattendue" in e.value for e in at.error), [e.value for e in at.error]
    assert all("overview exploded" not in e.value for e in at.error)
    # The test sees what happened (the autouse fixture would fail any other test with it).
    assert [str(e) for e in expected_page_errors] == ["overview exploded"]
    expected_page_errors.clear()


def test_page_guard__without_the_test_setting_nothing_is_kept(
    run_app, demo_file, monkeypatch, expected_page_errors
):
    monkeypatch.delenv(state.FAIL_ON_PAGE_ERROR)
    monkeypatch.setattr(stats, "overview", _broken_overview)
    at = run_app(demo_file)
    assert any("inattendue" in e.value for e in at.error)
    assert expected_page_errors == []


def test_page_guard__the_fixture_fails_a_test_whose_page_crashed(pytester):
    """Run a test that does not expect the crash: it must fail, naming the exception."""
    conftest = Path(__file__).resolve().parents[1] / "conftest.py"
    pytester.makepyfile(
        page_guard_plugin=f"""
        import importlib.util

        spec = importlib.util.spec_from_file_location("project_conftest", {str(conftest)!r})
        project = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(project)
        page_errors_fail_the_test = project.page_errors_fail_the_test
        expected_page_errors = project.expected_page_errors
        """,
        test_crash="""
        from opp.ui import state

        def test_crash():
            state.page_errors.append(RuntimeError("hidden crash"))
        """,
    )
    pytester.syspathinsert()
    result = pytester.runpytest_inprocess("-p", "page_guard_plugin", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*1 unexpected error(s) caught by a page's guarded()*"])
    result.stdout.fnmatch_lines(["*RuntimeError: hidden crash*"])


@pytest.mark.parametrize("strict", [True, False])
def test_page_guard__an_opp_error_is_never_kept(monkeypatch, strict, expected_page_errors):
    """An OppError is an expected refusal (its message is the answer), not a crash."""
    from opp.errors import OppError

    if not strict:
        monkeypatch.delenv(state.FAIL_ON_PAGE_ERROR)
    with state.guarded():
        raise OppError("RELEASE_NONE")
    assert expected_page_errors == []
