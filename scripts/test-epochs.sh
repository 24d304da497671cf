#!/usr/bin/env bash
# Runs the suite as if a year later and a year earlier: every test's fake clock
# starts at sim.Epoch(base), which adds $FAXWATCH_TEST_EPOCH. A test that lets a
# fake time meet a real file time, date or timer fails in one of these runs.
# CI runs only the default epoch; run this before changing anything with time.
set -euo pipefail
cd "$(dirname "$0")/.."
for shift in 8760h -8760h; do
  echo "== FAXWATCH_TEST_EPOCH=$shift"
  FAXWATCH_TEST_EPOCH=$shift go test -count=1 "$@" ./...
done
