"""The statement guard (tests/tools/pg_statements.py) sees one text per statement shape."""

from __future__ import annotations

from tests.tools.pg_normalise import normalise


def test_expanded_in_lists_and_value_rows_of_any_length_are_one_statement() -> None:
    one = "SELECT a FROM t WHERE id IN (%(id_1_1)s) AND x = %(x_1)s"
    three = "SELECT a\n  FROM t WHERE id IN (%(id_1_1)s, %(id_1_2)s, %(id_1_3)s) AND x = %(x_1)s"
    assert normalise(one) == normalise(three) == "SELECT a FROM t WHERE id IN (?) AND x = ?"
    rows = "INSERT INTO t (a, b) VALUES (%(a__0)s, %(b__0)s::INTEGER), (%(a__1)s, %(b__1)s)"
    assert normalise(rows) == normalise("INSERT INTO t (a, b) VALUES (%(a)s, %(b)s)")


def test_names_made_per_test_are_one_name_and_other_statements_stay_apart() -> None:
    assert normalise('CREATE DATABASE "regie_t_0123456789ab"') == normalise(
        'CREATE DATABASE "regie_t_ba9876543210"'
    )
    assert normalise("SAVEPOINT sa_savepoint_3") == normalise("SAVEPOINT sa_savepoint_12")
    assert normalise("SELECT a FROM t") != normalise("SELECT b FROM t")
    assert normalise("SELECT a FROM t WHERE x = 1") != normalise("SELECT a FROM t WHERE x = 2")
