"""
leadscore.compile: SQL (DuckDB, PostgreSQL, other dialects) and Polars, each equal to score().

What each target writes, its arguments, its names and types, and the engines' traps. That the
engines' values are score()'s, bit for bit, on generated and shipped instruments, is
tests/test_backends.py's table of every back end; the helpers that run them are tests/engines.py.
"""

from __future__ import annotations

import sys

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import attrs
import duckdb
import pandas as pd
import polars as pl
import pytest
import sqlglot

import leadscore

from leadscore import Band, Composite, Instrument, LeadscoreError, Part, Scale, score
from leadscore._exact import Expr
from leadscore._plan import Plan
from leadscore.cli import main
from leadscore.compile import DIALECTS, FIELDS, to_polars, to_python, to_sql
from leadscore.frames import score_frame
from tests.engines import check, refused_beyond_doubles, run_duckdb, run_postgres, table
from tests.strategies import (
    SHIPPED,
    THREE_METHODS_ROWS,
    table_layout,
    three_methods,
    tiny_with_not_applicable,
)


SBL = next(instrument for instrument in SHIPPED if instrument.id == "secure-base-leadership")


def test_a_mean_a_sum_and_a_pomp_score_as_score_does() -> None:
    """DuckDB and Polars on each scoring method, a span of 3 and gaps: the differential property, by one example."""
    instrument = three_methods()
    frame = table(instrument, THREE_METHODS_ROWS, pl.Int64)
    errors: list[str | None] = [None] * len(THREE_METHODS_ROWS)

    check(instrument, THREE_METHODS_ROWS, run_duckdb(to_sql(instrument, "answers"), frame), errors)
    check(instrument, THREE_METHODS_ROWS, frame.lazy().select(to_polars(instrument)).collect().to_dicts(), errors)


def hostile_instrument() -> Instrument:
    """SBL with item, scale and band ids no definition may hold, forced into its plan."""
    plan = Plan(SBL)
    names = ["it's", 'say "hi"', "back\\slash", "-- comment", "a;b", "*/ x /*", "é\u2028", "`tick`", "$1"]
    plan.items = tuple(attrs.evolve(rule, id=name) for rule, name in zip(plan.items, names, strict=True))
    plan.item_index = {rule.id: index for index, rule in enumerate(plan.items)}
    scales = list(plan.scales)
    scales[0] = attrs.evolve(scales[0], id="o'k\"")
    plan.scales = tuple(scales)
    # Bands from 1 (to 2.5, to 4.5, to 5): reached when num * q >= p * den for each bound p / q after the first.
    bounds = (Fraction(5, 2), Fraction(9, 2))
    reaches = tuple(
        (
            Expr("mul", args=(Expr("const", bound.denominator), Expr("num", 0))),
            Expr("mul", args=(Expr("const", bound.numerator), Expr("den", 0))),
        )
        for bound in bounds
    )
    first = attrs.evolve(plan.formulas.scores[0], id="o'k\"", reaches=reaches, band_ids=("'low\\", 'mid"', "high;--"))
    plan.formulas = attrs.evolve(plan.formulas, scores=(first, *plan.formulas.scores[1:]))
    instrument_id, _, composite_ids = plan.layout
    plan.layout = (instrument_id, tuple(rule.id for rule in scales), composite_ids)
    plan.table_order = (*plan.layout[1], *(composite.id for composite in SBL.composites))
    instrument = attrs.evolve(SBL)
    object.__setattr__(instrument, "_compiled", plan)
    return instrument


def test_hostile_ids_reach_sql_only_as_quoted_names_and_literals(postgres: Any) -> None:
    """Ids with quotes, backslashes, comment marks: DuckDB and PostgreSQL read them as names and texts."""
    instrument = hostile_instrument()
    plan = instrument._compiled
    ids = [rule.id for rule in plan.items]
    row = dict.fromkeys(ids, 4)
    row["back\\slash"] = 9
    rows = [dict.fromkeys(ids, 5), row]
    frame = pl.DataFrame(rows, schema=dict.fromkeys(ids, pl.Int64))
    top_band = "high;--"

    for got in (
        run_duckdb(to_sql(instrument, "answers"), frame),
        frame.select(to_polars(instrument)).to_dicts(),
    ):
        assert got[0]["o'k\".value"] == 5.0
        assert got[0]["o'k\".band"] == top_band
        assert got[1]["error"] == "column 'back\\\\slash': must be an integer from 1 to 5 (got 9)"
    with postgres.transaction(force_rollback=True):
        got = run_postgres(postgres, ids, rows, to_sql(instrument, "answers", "postgres"))
    assert got[0]["o'k\".band"] == top_band
    assert got[1]["error"] == "column 'back\\\\slash': must be an integer from 1 to 5 (got 9)"


LARGEST = max(SHIPPED, key=lambda instrument: len(instrument.items))


@pytest.mark.parametrize("dialect", [d for d in DIALECTS if d not in {"duckdb", "postgres"}])
@pytest.mark.parametrize("instrument", [LARGEST, hostile_instrument()], ids=["largest", "hostile"])
def test_each_dialect_reads_back_what_it_wrote(dialect: str, instrument: Instrument) -> None:
    """
    The query in each dialect not run here: sqlglot reads it in that dialect and writes it unchanged.

    On the largest shipped instrument, and on ids with quotes and backslashes.
    """
    query = to_sql(instrument, ("analytics", "answers"), dialect, keep=["respondent"])

    assert sqlglot.transpile(query, read=dialect, write=dialect, pretty=True) == [query]


def test_columns_are_score_frames_in_order() -> None:
    """Kept columns, the score columns score_frame gives for the same fields, then error."""
    frame = pd.DataFrame({"who": ["a"], **{item.id: [3] for item in SBL.items}})
    for fields in (FIELDS, ("band", "value"), ("n_answered",)):
        expected = list(score_frame(SBL, frame, keep=["who"], fields=fields, on_error="report").columns)
        names = [e.meta.output_name() for e in to_polars(SBL, keep=["who"], fields=fields)]
        assert names == expected
        assert (
            list(run_duckdb(to_sql(SBL, "answers", keep=["who"], fields=fields), pl.from_pandas(frame))[0]) == expected
        )


def test_polars_streams_and_gives_typed_columns() -> None:
    """The expressions run on the streaming engine; bands are Enums of the band ids, counts integers."""
    frame = pl.LazyFrame({item.id: [5, None, 2] for item in SBL.items})

    streamed = frame.select(to_polars(SBL)).collect(engine="streaming")
    in_memory = frame.select(to_polars(SBL)).collect()

    assert streamed.equals(in_memory)
    scale = SBL.scales[0]
    every: list[Scale | Composite] = [*SBL.scales, *SBL.composites]
    banded = [with_bands for with_bands in every if with_bands.bands]
    assert banded  # The care-dare balance has bands; the scales have none, nor band columns.
    assert f"{scale.id}.band" not in streamed.schema
    assert streamed.schema[f"{scale.id}.n_answered"] == pl.Int64
    for with_bands in banded:
        assert streamed.schema[f"{with_bands.id}.band"] == pl.Enum([b.id for b in with_bands.bands])


def test_empty_tables_give_no_rows() -> None:
    """A table with no rows is scored into a result with no rows, not an error."""
    frame = pl.DataFrame(schema={item.id: pl.Int64 for item in SBL.items})

    assert run_duckdb(to_sql(SBL, "answers"), frame) == []
    assert frame.select(to_polars(SBL)).height == 0


class TestColumnTypes:
    """What the engines do with columns that hold no whole numbers."""

    def test_fractions_are_refused_by_row(self) -> None:
        """A double column holding 4.5 gives its row an error, as score_frame says it."""
        frame = pl.DataFrame({item.id: [4.5 if i == 1 else 4.0] for i, item in enumerate(SBL.items)})
        expected = f"column '{SBL.items[1].id}': must be a whole number (got 4.5)"

        assert run_duckdb(to_sql(SBL, "answers"), frame)[0]["error"] == expected
        assert frame.select(to_polars(SBL))["error"][0] == expected

    @pytest.mark.parametrize(("duck_type", "polars_type"), [("BOOLEAN", pl.Boolean), ("VARCHAR", pl.String)])
    def test_booleans_and_text_make_the_engine_refuse_the_query(self, duck_type: str, polars_type: Any) -> None:
        """Neither engine floors a boolean or a text: the query fails, no TRUE is read as 1."""
        columns = ", ".join(f'"{item.id}" {duck_type if i == 0 else "INTEGER"}' for i, item in enumerate(SBL.items))
        with duckdb.connect() as connection:
            connection.execute(f"CREATE TABLE answers ({columns})")
            with pytest.raises(duckdb.BinderException, match="floor"):
                connection.execute(to_sql(SBL, "answers"))
        frame = pl.DataFrame(
            {item.id: pl.Series([None], dtype=polars_type if i == 0 else pl.Int64) for i, item in enumerate(SBL.items)}
        )
        with pytest.raises(pl.exceptions.InvalidOperationError):
            frame.select(to_polars(SBL))


class TestArguments:
    def test_table_names_are_quoted_never_parsed(self) -> None:
        """A table name with quotes and SQL in it is one quoted name; parts are parts."""
        query = to_sql(SBL, 'answers"; DROP TABLE x; --', pretty=False)

        assert 'FROM "answers""; DROP TABLE x; --"' in query
        assert 'FROM "cat"."db"."t"' in to_sql(SBL, ("cat", "db", "t"), pretty=False)

    @pytest.mark.parametrize(
        ("call", "error", "words"),
        [
            (lambda: to_sql(SBL, "t", "nosuch"), "InvalidArgumentError", "knows (athena, bigquery, "),
            (lambda: to_sql(SBL, "t", ""), "InvalidArgumentError", "(got '')"),
            (lambda: to_sql(SBL, "t", None), "ArgumentTypeError", "dialect must be a dialect's name (got NoneType)"),  # type: ignore[arg-type]
            (lambda: to_sql(SBL, "t", fields=("values",)), "InvalidArgumentError", "fields must be some of"),
            (lambda: to_sql(SBL, ("a", "b", "c", "d")), "InvalidArgumentError", "got 4 parts"),
            (lambda: to_sql(SBL, ()), "InvalidArgumentError", "got 0 parts"),
            (lambda: to_sql(SBL, 42), "ArgumentTypeError", "table must be a collection of names (got int)"),  # type: ignore[arg-type]
            (lambda: to_sql(SBL, ["a", 1]), "ArgumentTypeError", "got 1"),  # type: ignore[list-item]
            (lambda: to_sql(SBL, "t", keep="who"), "ArgumentTypeError", "keep must be a collection"),
            (lambda: to_sql(SBL, "t", keep=["", "a\x00"]), "ArgumentTypeError", "''"),
            (lambda: to_polars(SBL, keep=["error", "w", "w"]), "InvalidArgumentError", "'error', 'w'"),
            (
                lambda: to_polars(SBL, keep=["stays-calm.value", "_ls_k0"]),
                "InvalidArgumentError",
                "'_ls_k0', 'stays-calm.value'",
            ),
            (lambda: to_sql(42, "t"), "ArgumentTypeError", "an instrument must be"),  # type: ignore[arg-type]
            (lambda: to_polars("no-such-instrument"), "UnknownInstrumentError", "no-such-instrument"),
        ],
    )
    def test_bad_arguments_are_refused_by_name(self, call: Any, error: str, words: str) -> None:
        """Each bad argument gets its own LeadscoreError, saying what was wrong."""
        with pytest.raises(LeadscoreError) as caught:
            call()

        assert type(caught.value).__name__ == error
        assert words in str(caught.value)

    def test_answers_beyond_exact_doubles_are_refused_naming_each(self) -> None:
        """Answers or totals no double holds exactly: refused, naming the item and the scale."""
        plan = Plan(SBL)
        plan.items = (attrs.evolve(plan.items[0], high=2**60), *plan.items[1:])
        plan.scales = (attrs.evolve(plan.scales[0], high=2**60), *plan.scales[1:])
        instrument = attrs.evolve(SBL)
        object.__setattr__(instrument, "_compiled", plan)

        with pytest.raises(LeadscoreError) as caught:
            to_polars(instrument)

        assert f"item '{SBL.items[0].id}'" in str(caught.value)

    def test_figures_beyond_exact_doubles_are_refused_naming_each_score(self) -> None:
        """A weight of 10**16 makes a weighted mean's numerator pass 2**53: refused by the engines, exact in score."""
        heavy = attrs.evolve(
            SBL.composites[0],
            parts=[attrs.evolve(SBL.composites[0].parts[0], weight=1e16), *SBL.composites[0].parts[1:]],
        )
        instrument = attrs.evolve(SBL, composites=[heavy, *SBL.composites[1:]])
        message = r"score 'care': its exact figures need whole numbers of \d+ bits, beyond 2\*\*53"

        for engine in (to_polars, lambda i: to_sql(i, "answers"), lambda i: score_frame(i, pd.DataFrame())):
            with pytest.raises(LeadscoreError, match=message):
                engine(instrument)
        assert refused_beyond_doubles(instrument)
        answers_ = dict.fromkeys((item.id for item in SBL.items), 4)
        # (5 * 10**16 + 12) / (10**16 + 3) as one correctly rounded division (5e16 + 12 has no double).
        assert score(instrument, {**answers_, "stays-calm": 5}).composites["care"].value == (5 * 10**16 + 12) / (
            10**16 + 3
        )

    def test_a_chain_of_composites_too_wide_to_inline_is_refused_by_polars_alone(self) -> None:
        """Each composite the difference of the two before it: 2**k scale values inlined; SQL binds each once."""
        # Single-item scales: every denominator is 1, so the exact figures stay within 2**53.
        base = tiny_with_not_applicable("chain", items=("a",))
        scales = [base.scales[0], attrs.evolve(base.scales[0], id="t")]
        names = ["s", "t"] + [f"c{k}" for k in range(20)]
        composites = [
            Composite(
                id=names[k + 2],
                title={"en": "C"},
                method="difference",
                parts=[Part(scale=names[k + 1]), Part(scale=names[k])],
            )
            for k in range(20)
        ]
        instrument = attrs.evolve(base, scales=scales, composites=composites)

        with pytest.raises(LeadscoreError, match=r"'c18', 'c19' would read more than 10,000 scale values"):
            to_polars(instrument)
        got = run_duckdb(to_sql(instrument, "answers"), table(instrument, [{"a": 1}], pl.Int64))
        check(instrument, [{"a": 1}], got, [None])

    def test_python_target_is_the_generated_source(self) -> None:
        """to_python shows the source score() runs."""
        assert to_python(SBL.id) == Plan(SBL).source()

    @pytest.mark.parametrize(
        ("module", "call"), [("sqlglot", lambda: to_sql(SBL, "t")), ("polars", lambda: to_polars(SBL))]
    )
    def test_without_the_extra_the_error_says_what_to_install(
        self, module: str, call: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without sqlglot or Polars, an ImportError names the extra to install."""
        for name in [
            name for name in sys.modules if name == module or name.startswith((f"{module}.", "leadscore.compile._"))
        ]:
            monkeypatch.delitem(sys.modules, name)
        monkeypatch.setitem(sys.modules, module, None)

        with pytest.raises(ImportError, match=r"pip install 'leadscore\[(sql|polars)\]'"):
            call()


def test_weighted_means_of_many_parts_agree_bit_for_bit() -> None:
    """Dare, a weighted mean of five scales: one exact numerator over one denominator, the same bits in DuckDB."""
    dare = next(c for c in SBL.composites if c.id == "dare")
    assert len(dare.parts) > 2
    rows: Sequence[dict[str, Any]] = [
        {item.id: (k * 7 + i) % 5 + 1 for i, item in enumerate(SBL.items)} for k in range(50)
    ]
    check(SBL, list(rows), run_duckdb(to_sql(SBL, "answers"), table(SBL, list(rows), pl.Int64)), [None] * 50)


def test_composites_out_of_definition_order_read_their_own_parts(postgres: Any) -> None:
    """c1 = c0 - s0 is computed after c2 (a level deeper): each reads its own parts' values, in every engine."""
    base = tiny_with_not_applicable("ordered")
    instrument = attrs.evolve(
        base,
        scales=[*base.scales, attrs.evolve(base.scales[0], id="t", reverse_keyed=())],
        composites=[
            Composite(id="c0", title={"en": "C0"}, method="difference", parts=[Part(scale="s"), Part(scale="t")]),
            Composite(id="c1", title={"en": "C1"}, method="difference", parts=[Part(scale="c0"), Part(scale="s")]),
            Composite(id="c2", title={"en": "C2"}, method="weighted_mean", parts=[Part(scale="s")]),
        ],
    )
    rows: list[dict[str, Any]] = [{"a": 1, "b": 3}, {"a": 3, "b": 0}, {"a": None, "b": 2}]
    with postgres.transaction(force_rollback=True):
        from_postgres = run_postgres(postgres, ["a", "b"], rows, to_sql(instrument, "answers", "postgres"))
    frame = table(instrument, rows, pl.Int64)

    for got in (
        run_duckdb(to_sql(instrument, "answers"), frame),
        frame.select(to_polars(instrument)).to_dicts(),
        from_postgres,
    ):
        check(instrument, rows, got, [None, None, None])


def test_every_table_of_scores_has_the_one_layout(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """
    A composite listed before its part, bands on one scale and one composite: `leadscore score`'s
    CSV, score_frame, SQL and Polars name the same columns in the same order, the glossary's
    (scales, then composites, in the definition's order; a band column only where there are bands).
    """
    base = tiny_with_not_applicable("layout")
    bands = [
        Band(id="low", label={"en": "Low"}, lower=1, upper=2),
        Band(id="high", label={"en": "High"}, lower=2, upper=3),
    ]
    difference = [
        Band(id="minus", label={"en": "-"}, lower=-2, upper=0),
        Band(id="plus", label={"en": "+"}, lower=0, upper=2),
    ]
    instrument = attrs.evolve(
        base,
        scales=[*base.scales, attrs.evolve(base.scales[0], id="t", reverse_keyed=(), bands=bands)],
        composites=[
            Composite(id="c1", title={"en": "C1"}, method="difference", parts=[Part(scale="c0"), Part(scale="s")]),
            Composite(
                id="c0",
                title={"en": "C0"},
                method="difference",
                parts=[Part(scale="s"), Part(scale="t")],
                bands=difference,
            ),
        ],
    )
    assert [c.id for c in instrument.composite_order] == ["c0", "c1"]  # Computed in the other order.
    expected = table_layout(instrument, ("value", "pomp", "band"))
    assert expected == [
        "s.value", "s.pomp", "t.value", "t.pomp", "t.band", "c1.value", "c1.pomp", "c0.value", "c0.pomp", "c0.band"
    ]  # fmt: skip
    fields = ("value", "pomp", "band")
    frame = pd.DataFrame({"a": [1, 3], "b": [2, None]}, dtype="Int64")
    answers_file = tmp_path / "answers.csv"
    answers_file.write_text("respondent,a,b\nr1,1,2\nr2,3,\n", encoding="utf-8")
    leadscore.register(instrument)
    try:
        assert 0 == main(["score", "layout", str(answers_file)])
    finally:
        leadscore._registry.default_registry().unregister("layout")
    header = capsys.readouterr().out.splitlines()[0].split(",")

    assert ["respondent", *expected] == header
    assert expected == list(score_frame(instrument, frame, fields=fields).columns)
    assert [*expected, "error"] == list(
        run_duckdb(to_sql(instrument, "answers", fields=fields), pl.from_pandas(frame))[0]
    )
    assert [*expected, "error"] == pl.from_pandas(frame).select(to_polars(instrument, fields=fields)).columns


class TestCommandLine:
    """`leadscore show ID --sql DIALECT`: the query for a database, as a file an analyst runs."""

    def test_the_printed_query_runs(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The printed statement (with its semicolon) scores the table it names, carrying the kept column."""
        assert main(["show", SBL.id, "--sql", "duckdb", "--table", "sbl", "--keep", "who"]) == 0
        query = capsys.readouterr().out
        frame = pl.DataFrame({"who": ["ann"], **{item.id: [4] for item in SBL.items}})

        with duckdb.connect() as connection:
            connection.register("sbl", frame.to_arrow())
            row = connection.execute(query).fetchone()

        assert query.endswith(";\n")
        assert row is not None
        assert row[:2] == ("ann", 4.0)

    def test_a_dotted_table_is_a_schema_and_a_table(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`--table survey.answers` reads the table answers of the schema survey."""
        assert main(["show", SBL.id, "--sql", "postgres", "--table", "survey.answers"]) == 0

        assert 'FROM "survey"."answers"' in capsys.readouterr().out

    def test_an_unknown_dialect_is_refused(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Exit status 1 and the error's words on stderr, nothing on stdout."""
        status = main(["show", SBL.id, "--sql", "oracle9"])

        captured = capsys.readouterr()
        assert (status, captured.out) == (1, "")
        assert "dialect must be one sqlglot knows" in captured.err

    def test_without_sqlglot_the_command_says_what_to_install(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A usage error (status 2) naming the extra."""
        monkeypatch.setitem(sys.modules, "sqlglot", None)

        status = main(["show", SBL.id, "--sql", "postgres"])

        assert status == 2
        assert "pip install 'leadscore[sql]'" in capsys.readouterr().err
