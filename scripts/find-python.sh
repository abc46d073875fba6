#!/usr/bin/env bash
# Print the path of a Python >= 3.12 interpreter, or explain why there is none.
# Order: $PYTHON if set; python3.13/python3.12/python3 on PATH (pyenv shims that refuse are
# skipped because we actually run them); then pyenv's installed versions.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
cands=()
[ -n "${PYTHON:-}" ] && cands+=("$PYTHON")
for c in python3.12 python3.13 python3; do command -v "$c" >/dev/null 2>&1 && cands+=("$(command -v "$c")"); done
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for d in $(ls -d "$root"/versions/3.1[2-9]* 2>/dev/null | sort -V); do cands+=("$d/bin/python"); done
for c in "${cands[@]}"; do
  if ok "$c"; then "$c" -c 'import sys; print(sys.executable)'; exit 0; fi
done
echo "error: no Python >= 3.12 found (Mesa 3.5 needs it). Tried: ${cands[*]:-nothing}." >&2
echo "Install one (e.g. 'pyenv install 3.12') or set PYTHON=/path/to/python3.12." >&2
exit 1
