"""
What an attacker, or a careless caller, hands leadscore: values of every type, at every size.

`hostile()` draws anything: numbers at and beyond every limit (integers too long for ``repr``,
``10**400``, signalling NaN, infinities, subnormals), every numeric type (``Decimal``,
``Fraction``, ``complex``, NumPy scalars), text built to mislead (Unicode digits, escape codes,
bidirectional overrides, a thousand digits), bytes, objects that fail to show themselves, and
containers of all of these. `outcome` runs a call and returns what it gave or the
`LeadscoreError` it raised: anything else escapes and fails the test.
"""

from __future__ import annotations

import functools

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar

import numpy as np

from hypothesis import currently_in_test_context, event
from hypothesis import strategies as st

from leadscore.errors import LeadscoreError


T = TypeVar("T")


class Unshowable:
    """An object whose repr fails: an error message must still describe it."""

    def __repr__(self) -> str:
        """Fail, as a buggy or hostile object's repr may."""
        raise RuntimeError("this object cannot be shown")

    def _repr_pretty_(self, printer: Any, *_: Any) -> None:
        """How Hypothesis shows it in a failing example (its repr fails)."""
        printer.text("Unshowable()")


class Shapeshifter(int):
    """An int subclass that claims to equal everything: it must not pass as an answer."""

    def __eq__(self, other: object) -> bool:
        """Claim equality with anything."""
        return True

    __hash__ = int.__hash__


#: Text that looks like a number to some reader, or acts on a terminal, or is just large.
TRICKY_TEXT = (
    "4",
    " 4 ",
    "4.0",
    "4.",
    "+4",
    "-0",
    "04",
    "4.5",
    "4,0",
    "1e3",
    "0x4",
    "4_0",
    "\u0663",  # ARABIC-INDIC DIGIT THREE: int() reads it as 3
    "\uff14",  # FULLWIDTH DIGIT FOUR
    "\u00a04\u2003",  # no-break and em spaces around 4
    "NaN",
    "inf",
    "-Infinity",
    "true",
    "",
    "   ",
    "\x1b[2J\x1b]0;owned\x07",
    "\u202egnp.exe",
    "4\x00",
    '=HYPERLINK("http://x")',
    "9" * 5000,
    "1" + "0" * 18,
    "9" * 18,
    "\ud800",  # a lone surrogate: not encodable as UTF-8
)

SPECIAL_NUMBERS = (
    10**400,
    -(10**400),
    10**4301,  # too long for repr()
    2**63,
    -(2**63) - 1,
    Decimal("sNaN"),
    Decimal("-NaN"),
    Decimal("1e999999"),
    Decimal("4.000"),
    Decimal("4.5"),
    Fraction(8, 2),
    Fraction(9, 2),
    float("nan"),
    float("inf"),
    -0.0,
    5e-324,
    4.0,
    1e18,
    complex(4, 0),
    np.int64(4),
    np.float64(4.0),
    np.float32("nan"),
    np.bool_(True),
    Shapeshifter(4),
)


# Each strategy is made once (cached): one made anew inside a draw is validated again on each
# draw, which was most of the fuzzers' time (docs/testing.md).
@functools.cache
def scalars() -> st.SearchStrategy[Any]:
    """One value of any kind a caller might pass."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.fractions(),
        st.complex_numbers(allow_nan=True),
        st.text(max_size=12),
        # By position: a strategy's repr shows its elements (5,000 digits; 10**4301 has no repr).
        st.integers(0, len(TRICKY_TEXT) - 1).map(TRICKY_TEXT.__getitem__),
        st.integers(0, len(SPECIAL_NUMBERS) - 1).map(SPECIAL_NUMBERS.__getitem__),
        st.binary(max_size=6),
        st.builds(Unshowable),
        st.just(object()),
        st.just(int),
    )


@functools.cache
def hostile(max_leaves: int = 8) -> st.SearchStrategy[Any]:
    """A value of any kind, possibly a container of such values, a few levels deep."""
    return st.recursive(
        scalars(),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.tuples(inner, inner),
            st.dictionaries(st.one_of(st.text(max_size=6), st.integers()), inner, max_size=3),
        ),
        max_leaves=max_leaves,
    )


def mostly(good: st.SearchStrategy[T], bad: st.SearchStrategy[Any], one_in: int = 5) -> st.SearchStrategy[Any]:
    """*good* values, and one time in *one_in* a *bad* one: enough valid input to reach the code behind the checks."""
    return st.integers(1, one_in).flatmap(lambda k: bad if k == 1 else good)


def outcome(call: Callable[..., T], *args: Any, **kwargs: Any) -> T | LeadscoreError:
    """
    What *call* gives, or the `LeadscoreError` it raises; any other exception fails the test.

    The kind of outcome is recorded as a Hypothesis event: ``--hypothesis-show-statistics``
    shows how the fuzzed inputs divided between results and each kind of error.
    """
    try:
        got: T | LeadscoreError = call(*args, **kwargs)
    except LeadscoreError as error:
        got = error
    if currently_in_test_context():
        event(f"{'raised' if isinstance(got, LeadscoreError) else 'gave'} {type(got).__name__}")
    return got
