"""
Build the API reference (``make reference``, part of ``make test``): pdoc over every public module, warnings as errors.

pdoc reads the docstrings (Google style) and the signatures; the pages go to ``build/reference``
(or the folder given as the first argument). Every name in a public module's ``__all__`` is
looked up first, so that the names a module loads on first use are documented too. A warning
(a docstring pdoc cannot read, an annotation it cannot resolve, a name in ``__all__`` that is
not there) fails the build.
"""

from __future__ import annotations

import importlib
import sys
import warnings

from pathlib import Path

import pdoc
import pdoc.render


#: The public modules (docs/architecture.md): the reference documents exactly these.
PUBLIC = (
    "leadscore",
    "leadscore.analysis",
    "leadscore.cli",
    "leadscore.compile",
    "leadscore.errors",
    "leadscore.frames",
    "leadscore.instruments",
    "leadscore.readers",
    "leadscore.report",
    "leadscore.surveys",
    "leadscore.testing",
    "leadscore.testing.strategies",
    "leadscore.testing.suite",
)


def main(argv: list[str]) -> int:
    """Write the reference; return 0, or 1 with each warning said."""
    out = Path(argv[0]) if argv else Path("build/reference")
    for name in PUBLIC:
        module = importlib.import_module(name)
        for public in getattr(module, "__all__", ()):
            # pdoc reads a module's __dict__: a name its __getattr__ loads is bound there first.
            vars(module).setdefault(public, getattr(module, public))
    pdoc.render.configure(docformat="google", footer_text="leadscore")
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        # leadscore.errors is in leadscore.__all__: pdoc documents it with leadscore.
        pdoc.pdoc(*(name for name in PUBLIC if name != "leadscore.errors"), output_directory=out)
    for warning in said:
        print(f"reference: {warning.message}", file=sys.stderr)
    if said:
        return 1
    print(f"reference: {len(PUBLIC)} modules written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
