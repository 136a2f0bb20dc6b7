"""
The ``leadscore`` command (also ``python -m leadscore``): one small module per command.

Each command module parses its arguments, calls the library and prints; nothing a library
user would need lives here (scoring a file is `leadscore.score_file`).

Exit codes: 0 ok, 1 invalid input (bad answers, a bad definition, a broken instrument), 2
usage (unknown command or option, a file that cannot be read). Errors go to standard error,
one clear line each.

.. versionadded:: 0.1.0
"""

from leadscore.cli._main import main


__all__ = ["main"]
