"""The one_database marker drops a test's PostgreSQL variant, counted, and only with a reason."""

from __future__ import annotations

import pytest

CONFTEST = """
import pytest

@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request):
    return request.param
"""


def _run(pytester: pytest.Pytester, body: str, *args: str) -> pytest.RunResult:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(f"import pytest\n\n{body}")
    return pytester.runpytest("-p", "tests.one_database", "-v", *args)


MARKED = """
@pytest.mark.one_database("the subject is the PDF, made after the store")
def test_marked(database_url):
    pass

def test_both(database_url):
    pass
"""


def test_the_postgres_variant_of_a_marked_test_is_deselected_and_counted(
    pytester: pytest.Pytester,
) -> None:
    result = _run(pytester, MARKED)
    result.assert_outcomes(passed=3, deselected=1)
    result.stdout.fnmatch_lines(["*test_marked?sqlite? PASSED*", "*test_both?postgres? PASSED*"])
    result.stdout.no_fnmatch_line("*test_marked?postgres?*")


def test_every_database_keeps_the_postgres_variant(pytester: pytest.Pytester) -> None:
    result = _run(pytester, MARKED, "--every-database")
    result.assert_outcomes(passed=4)


@pytest.mark.parametrize(
    "marker",
    [
        "@pytest.mark.one_database",
        "@pytest.mark.one_database('')",
        "@pytest.mark.one_database('   ')",
        "@pytest.mark.one_database(3)",
        "@pytest.mark.one_database('a', 'b')",
    ],
)
def test_a_marker_without_one_reason_is_a_collection_error(
    pytester: pytest.Pytester, marker: str
) -> None:
    result = _run(pytester, f"{marker}\ndef test_marked(database_url):\n    pass\n")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*test_marked?sqlite?: one_database *"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_the_marker_on_a_test_without_database_url_is_a_collection_error(
    pytester: pytest.Pytester,
) -> None:
    result = _run(pytester, "@pytest.mark.one_database('why')\ndef test_plain():\n    pass\n")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*test_plain: one_database on a test that does not take*"])


def test_a_marked_parameter_drops_only_its_own_postgres_variant(
    pytester: pytest.Pytester,
) -> None:
    body = """
@pytest.mark.parametrize(
    "late", [False, pytest.param(True, marks=pytest.mark.one_database("same statements"))]
)
def test_param(database_url, late):
    pass
"""
    result = _run(pytester, body)
    result.assert_outcomes(passed=3, deselected=1)
    result.stdout.no_fnmatch_line("*test_param?postgres-True?*")


def test_in_an_xdist_worker_a_misused_marker_fails_its_test_in_one_line(
    pytester: pytest.Pytester,
) -> None:
    """review52: raised in a worker's collection, the error was an INTERNALERROR with a
    traceback; there the misused test fails instead, with the same one line."""
    pytester.makeconftest(
        CONFTEST + "\ndef pytest_configure(config):\n    config.workerinput = {}  # as xdist's\n"
    )
    pytester.makepyfile(
        "import pytest\n\n@pytest.mark.one_database('')\ndef test_marked(database_url):\n    pass\n"
    )
    result = pytester.runpytest("-p", "tests.one_database", "-p", "no:xdist", "-rf")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["*test_marked?sqlite?*", "one_database needs a reason: *"])
    assert "Traceback" not in result.stdout.str() and "INTERNALERROR" not in result.stdout.str()
