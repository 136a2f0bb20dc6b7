#!/usr/bin/env bash
# Mutation testing of the scoring and validation modules (see [tool.mutmut] in pyproject.toml).
# Not part of CI: it runs the test suite once per mutant and takes a long while.
# Usage: bash scripts/mutation.sh   (after `make test` has created .venv)
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pip install --quiet --disable-pip-version-check "mutmut>=3.3,<4"
export LEADSCORE_HYPOTHESIS_PROFILE=mutation
rm -rf mutants
.venv/bin/mutmut run --max-children "${JOBS:-2}" || true
.venv/bin/mutmut results --all true > mutants/results.txt || true
python3 - <<'PY'
import collections, re
counts = collections.Counter()
for line in open("mutants/results.txt", encoding="utf-8"):
    m = re.match(r"\s*(\S+): (\w[\w ]*)$", line.rstrip())
    if m:
        counts[m.group(2)] += 1
total = sum(counts.values())
killed = counts.get("killed", 0)
print(dict(counts))
print(f"killed {killed} of {total} mutants ({100 * killed / max(total, 1):.1f} %)")
PY
