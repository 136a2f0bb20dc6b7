"""What kind of table a caller gave, told without importing NumPy, pandas or any table library."""

from __future__ import annotations


__all__ = ["is_frame"]


def is_frame(data: object) -> bool:
    """True for a pandas, Polars or PyArrow table (whatever narwhals takes), without importing any."""
    module = type(data).__module__.split(".")[0]
    return module in {"pandas", "polars", "pyarrow", "modin", "cudf"} and hasattr(data, "columns")
