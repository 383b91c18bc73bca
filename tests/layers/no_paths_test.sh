#!/usr/bin/env bash
# Each argument is a genquery output listing a dependency path that must not exist.
status=0
for result in "$@"; do
  if [ -s "$result" ]; then
    echo "FAIL: $(basename "$result"): a forbidden dependency path exists:" >&2
    cat "$result" >&2
    status=1
  else
    echo "ok: $(basename "$result")"
  fi
done
exit $status
