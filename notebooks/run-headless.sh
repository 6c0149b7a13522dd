#!/usr/bin/env bash
# Executes every notebook in this folder without a browser (jupyter nbconvert --execute) against a
# Vigil database, and fails unless each one ran to the end and every plot cell drew a picture.
#
#   VIGIL_PG_PORT=<port> notebooks/run-headless.sh          # e.g. the port `./vigil demo --keep-running` prints
#
# Connection: VIGIL_PG_HOST, VIGIL_PG_PORT, VIGIL_PG_DB, VIGIL_PG_USER, VIGIL_PG_PASSWORD (the
# notebooks read as the read-only role vigil_reader). Output: the executed notebooks, with their
# plots, and the plots as PNG files in VIGIL_NOTEBOOK_OUT (default notebooks/out/).
#
# Needs Debian's Jupyter stack: apt-get install jupyter-nbconvert python3-ipykernel python3-pandas
# python3-matplotlib python3-psycopg2 (Debian 12 or newer; pip is not needed).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${VIGIL_NOTEBOOK_OUT:-$here/out}"
# Debian's interpreter has the Debian packages; another python3 earlier on PATH (pyenv, a venv) may not.
python=/usr/bin/python3
[[ -x "$python" ]] || python="$(command -v python3 || true)"

missing=()
[[ -n "$python" ]] || missing+=(python3)
if [[ -n "$python" ]]; then
  for pair in nbconvert:jupyter-nbconvert ipykernel:python3-ipykernel pandas:python3-pandas \
              matplotlib:python3-matplotlib psycopg2:python3-psycopg2; do
    "$python" -c "import ${pair%%:*}" 2>/dev/null || missing+=("${pair#*:}")
  done
fi
if (( ${#missing[@]} )); then
  echo "run-headless.sh: missing Debian packages: ${missing[*]}" >&2
  echo "  install them with: apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 2
fi

mkdir -p "$out"
export VIGIL_PLOTS="$out"
export PYDEVD_DISABLE_FILE_VALIDATION=1   # quiets the kernel's debugger warning
status=0
for nb in "$here"/*.ipynb; do
  name="$(basename "$nb" .ipynb)"
  echo "== $name"
  # Each cell may take up to 10 minutes (large histories); the whole run fails on the first error.
  if ! "$python" -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
        --ExecutePreprocessor.kernel_name=python3 --output-dir "$out" --output "$name" "$nb"; then
    echo "FAILED: $name did not run to the end (the error is above)" >&2
    status=1
    continue
  fi
  # Every cell tagged "plot" must have drawn a picture: an empty data frame stops a notebook before
  # plotting, and a plot cell without an image means nothing was drawn.
  "$python" - "$out/$name.ipynb" <<'PY' || status=1
import json, sys
path = sys.argv[1]
cells = json.load(open(path))["cells"]
plots = [c for c in cells if c["cell_type"] == "code" and "plot" in c.get("metadata", {}).get("tags", [])]
empty = [i for i, c in enumerate(plots, 1)
         if not any("image/png" in o.get("data", {}) for o in c.get("outputs", []))]
if not plots:
    sys.exit(f"FAILED: {path} has no cell tagged 'plot'")
if empty:
    sys.exit(f"FAILED: {path}: plot cell(s) {empty} of {len(plots)} drew no image")
print(f"{path}: {len(plots)} plot cells, each with an image")
PY
done
(( status == 0 )) && echo "notebooks ran; executed copies and plots in $out"
exit $status
