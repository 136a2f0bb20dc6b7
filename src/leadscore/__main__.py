"""``python -m leadscore``: the same as the ``leadscore`` command."""

from leadscore.cli import main


raise SystemExit(main())
