#!/usr/bin/env bash
# Runs the notebooks' code without a browser against a Vigil database and writes the plots to
# notebooks/plots/. Needs Debian's python3-pandas, python3-matplotlib and python3-psycopg2
# (or jupyter-nbconvert to execute the .ipynb itself). Connection: VIGIL_PG_HOST, VIGIL_PG_PORT,
# VIGIL_PG_DB, VIGIL_PG_USER, VIGIL_PG_PASSWORD; model: VIGIL_MODEL.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Debian's interpreter has the Debian packages; another python3 earlier on PATH may not.
python=/usr/bin/python3
[[ -x "$python" ]] || python=python3
export VIGIL_PLOTS="${VIGIL_PLOTS:-$here/plots}"
for nb in "$here"/*.ipynb; do
  echo "== $(basename "$nb")"
  "$python" - "$nb" <<'PY'
import json, sys
cells = json.load(open(sys.argv[1]))["cells"]
exec(compile("\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code"), sys.argv[1], "exec"), {})
PY
done
echo "plots in $VIGIL_PLOTS"
