"""The compiler's three targets, `to_python`, `to_sql` and `to_polars`, re-exported by `leadscore.compile`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from leadscore._checks import quoted
from leadscore._model import Instrument
from leadscore._plan import compiled
from leadscore._registry import resolve
from leadscore._results import FIELDS, chosen_fields
from leadscore.compile._program import INTERNAL, check_bounds, check_unfolded, program
from leadscore.errors import ArgumentTypeError, InvalidArgumentError


if TYPE_CHECKING:
    import polars as pl


__all__ = ["DIALECTS", "FIELDS", "to_polars", "to_python", "to_sql"]

DIALECTS = ("duckdb", "postgres", "spark", "bigquery", "snowflake")
"""The dialects the tests check: DuckDB and PostgreSQL run for real, the others by sqlglot's round trip."""


def to_python(instrument: Instrument | str) -> str:
    """
    The source of the scoring function generated for *instrument* (what ``leadscore show --source`` prints).

    `leadscore.score` and `leadscore.score_many` compile and run it for you after an
    instrument's first few answer sets; this is for reading what runs.
    """
    return compiled(resolve(instrument)).source()


def to_sql(
    instrument: Instrument | str,
    table: str | Sequence[str],
    dialect: str = "duckdb",
    *,
    keep: Iterable[str] = (),
    fields: Iterable[str] = FIELDS,
    pretty: bool = True,
) -> str:
    """
    One SQL ``SELECT`` that scores every row of *table*, in *dialect*.

    Args:
        instrument: The instrument, or its id.
        table: The table (or view) of answers: its name, or its qualified name as parts,
            such as ``("analytics", "answers")``. Names are quoted as given, never parsed.
        dialect: A dialect sqlglot writes: ``"duckdb"``, ``"postgres"``, ``"spark"``,
            ``"bigquery"``, ``"snowflake"`` and the others it knows. DuckDB and PostgreSQL
            queries are run by leadscore's tests; the others are checked by sqlglot reading
            back what it wrote.
        keep: Columns of *table* carried first into the result, such as a respondent id.
        fields: Which columns to give per score, from `FIELDS`.
        pretty: Lay the query out over lines (else one line).

    Returns:
        The query's text: kept columns, score columns named as `score_frame` names them,
        then ``error``.

    Raises:
        InvalidArgumentError: For an unknown dialect or field; for a kept column that is
            ``error``, a score column or one of the query's internal names (``_ls_...``);
            for an instrument whose answers pass 2**53 (no double holds them all).
        ArgumentTypeError: For a table or kept column that is not text.
        ImportError: Without sqlglot (``pip install 'leadscore[sql]'``).
    """
    try:
        import sqlglot  # noqa: PLC0415 - the sql extra, loaded when asked for

        from leadscore.compile._sql import SqlTarget  # noqa: PLC0415 - needs sqlglot
    except ImportError as error:
        raise ImportError("SQL needs sqlglot: pip install 'leadscore[sql]'") from error
    from sqlglot import exp  # noqa: PLC0415 - as above

    instrument = resolve(instrument)
    if not isinstance(dialect, str):
        raise ArgumentTypeError(f"dialect must be a dialect's name (got {type(dialect).__name__})")
    try:
        # sqlglot reads "" as its generic dialect, which no engine speaks: a name is required.
        writer = sqlglot.Dialect.get_or_raise(dialect) if dialect.strip() else None
    except ValueError:
        writer = None
    if writer is None:
        known = ", ".join(sorted(d.value for d in sqlglot.Dialects if d.value))
        raise InvalidArgumentError(f"dialect must be one sqlglot knows ({known}) (got {quoted(dialect)})") from None
    parts = _names((table,) if isinstance(table, str) else table, "table")
    if not 1 <= len(parts) <= 3:
        raise InvalidArgumentError(f"table must be a name, or 2 or 3 parts of one (got {len(parts)} parts)")
    identifiers = [exp.to_identifier(part, quoted=True) for part in parts]
    source = exp.Table(this=identifiers[-1], db=identifiers[-2] if len(parts) > 1 else None)
    if len(parts) == 3:
        source.set("catalog", identifiers[0])
    plan, kept, wanted = _checked(instrument, keep, fields, "SQL")
    target = SqlTarget(source, kept)
    return target.select(program(plan, target, keep=kept, fields=wanted)).sql(dialect=writer, pretty=pretty)


def to_polars(
    instrument: Instrument | str, *, keep: Iterable[str] = (), fields: Iterable[str] = FIELDS
) -> list[pl.Expr]:
    """
    The expressions that score a Polars frame of answers: ``lazy_frame.select(to_polars(...))``.

    Takes *keep* and *fields* as `to_sql` does and gives the same columns; band columns are
    Polars ``Enum``s of the band ids, in order. Needs Polars (``pip install 'leadscore[polars]'``).
    """
    try:
        from leadscore.compile._polars import PolarsTarget  # noqa: PLC0415 - the polars extra
    except ImportError as error:
        raise ImportError("Polars expressions need Polars: pip install 'leadscore[polars]'") from error
    plan, kept, wanted = _checked(resolve(instrument), keep, fields, "Polars")
    check_unfolded(plan)
    target = PolarsTarget(plan.items[0].id)
    return target.select(program(plan, target, keep=kept, fields=wanted))


def _names(given: Any, what: str) -> list[str]:
    """*given* as a list of names, each a nonempty text."""
    if isinstance(given, (str, bytes)) or not isinstance(given, Iterable):
        raise ArgumentTypeError(f"{what} must be a collection of names (got {type(given).__name__})")
    names = list(given)
    bad = [quoted(name) for name in names if not isinstance(name, str) or not name or "\x00" in name]
    if bad:
        raise ArgumentTypeError(f"{what} names must be nonempty texts without NUL (got {', '.join(bad)})")
    return names


def _checked(
    instrument: Instrument, keep: Iterable[str], fields: Iterable[str], target: str
) -> tuple[Any, list[str], tuple[str, ...]]:
    """The plan, the kept columns and the fields, each checked."""
    plan = compiled(instrument)
    check_bounds(plan, target)
    wanted = chosen_fields(fields)
    kept = _names(keep, "keep")
    taken = {f"{i}.{f}" for i, f in plan.table_columns(wanted)} | {"error"}
    counts = Counter(kept)
    clashes = sorted(name for name, count in counts.items() if name in taken or name.startswith(INTERNAL) or count > 1)
    if clashes:
        raise InvalidArgumentError(
            "kept columns must be named apart from each other, from the score columns, from 'error' "
            f"and from the query's own names (_ls_...): {', '.join(map(quoted, clashes))}"
        )
    return plan, kept, wanted
