#!/usr/bin/env bash
# Runs generate.py (the first argument) into a temporary directory and compares what it writes with
# the checked-in corpora (the other arguments): fails when the generator was changed without
# regenerating, or a corpus was edited by hand.
set -euo pipefail

generator="$1"
shift
out="${TEST_TMPDIR:-$(mktemp -d)}/regenerated"
python3 "$generator" --out-dir "$out" --quiet

status=0
for checked_in in "$@"; do
  name="$(basename "$checked_in")"
  if cmp -s "$checked_in" "$out/$name"; then
    echo "ok: $name"
  else
    echo "FAIL: $name is not what generate.py writes; run python3 detect/corpus/generate.py" >&2
    diff "$checked_in" "$out/$name" | head -n 20 >&2 || true
    status=1
  fi
done
exit $status
