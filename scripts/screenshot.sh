#!/usr/bin/env bash
# Regenerates the README's dashboard screenshot from a real run of
# `faxwatch --demo` in a 120x40 tmux pane. The capture replaces the block
# between <!-- screenshot:start --> and <!-- screenshot:end --> in the file
# given (default README.md); with --stdout it is printed instead.
#
#   scripts/screenshot.sh            # rewrite README.md
#   scripts/screenshot.sh --stdout   # just print the capture
#   scripts/screenshot.sh doc.md     # rewrite another file
set -euo pipefail
cd "$(dirname "$0")/.."

target=README.md
case "${1:-}" in
  --stdout) target="" ;;
  "") ;;
  *) target="$1" ;;
esac
command -v tmux >/dev/null || { echo "screenshot.sh: tmux is needed (apt-get install tmux)" >&2; exit 2; }
if [ -n "$target" ] && ! grep -q '<!-- screenshot:start -->' "$target"; then
  echo "screenshot.sh: $target has no <!-- screenshot:start --> marker" >&2; exit 2
fi

work=$(mktemp -d)
socket="faxwatch-shot-$$"
cleanup() { tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

go build -o "$work/faxwatch" .
# A private tmux server, a fixed size, and a known terminal: the capture does
# not depend on the caller's terminal or tmux.
tmux -L "$socket" -f /dev/null new-session -d -s shot -x 120 -y 40 \
  "env TERM=xterm-256color $work/faxwatch --demo"

# Wait (at most 30 s) for the header and the first answer.
capture=""
for _ in $(seq 150); do
  capture=$(tmux -L "$socket" capture-pane -p -t shot 2>/dev/null || true)
  if grep -q 'faxwatch' <<<"$capture" && grep -q 'updated' <<<"$capture" && grep -q 'JOB ID' <<<"$capture"; then
    break
  fi
  sleep 0.2
done
if ! grep -q 'updated' <<<"$capture"; then
  echo "screenshot.sh: the dashboard did not show its first answer within 30 s; screen was:" >&2
  printf '%s\n' "$capture" >&2
  exit 1
fi
tmux -L "$socket" send-keys -t shot q

# Trailing blanks trimmed, trailing empty lines dropped.
printf '%s\n' "$capture" | sed -e 's/[[:space:]]*$//' | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$work/shot.txt"

if [ -z "$target" ]; then
  cat "$work/shot.txt"
  exit 0
fi
awk -v shot="$work/shot.txt" '
  /<!-- screenshot:start -->/ { print; print "```text"; while ((getline line < shot) > 0) print line; print "```"; skip = 1; next }
  /<!-- screenshot:end -->/   { skip = 0 }
  !skip { print }
' "$target" >"$work/out.md"
cat "$work/out.md" >"$target"
echo "screenshot.sh: updated $target ($(wc -l <"$work/shot.txt") lines)" >&2
