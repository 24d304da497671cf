#!/usr/bin/env bash
# Runs faxwatch's performance benchmarks (go test -bench, one run per
# package) and the whole-process measurements (start-up to first frame, idle
# CPU, resident memory) of the real dashboard in a 200x50 tmux pane over a
# generated watchlist of final jobs, with `faxwatch sim` as the endpoint.
# Prints a summary table; raw output goes to $OUT (default /tmp/faxwatch-bench).
#
#   scripts/bench.sh              # everything, about 4 minutes
#   IDLE=10 scripts/bench.sh      # shorter idle window (seconds, default 30)
#   SKIP_GO=1 scripts/bench.sh    # whole-process figures only
set -euo pipefail
cd "$(dirname "$0")/.."

IDLE=${IDLE:-30}
OUT=${OUT:-${TMPDIR:-/tmp}/faxwatch-bench}
mkdir -p "$OUT"
command -v tmux >/dev/null || { echo "bench.sh: tmux is needed (apt-get install tmux)" >&2; exit 2; }

work=$(mktemp -d)
socket="faxwatch-bench-$$"
simpid=""
cleanup() {
  tmux -L "$socket" kill-server 2>/dev/null || true
  [ -n "$simpid" ] && kill "$simpid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

{
  echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu:     $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') x $(nproc)"
  echo "go:      $(go version | cut -d' ' -f3-)"
  echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (at start)"
} | tee "$OUT/machine.txt"

# --- go test -bench ----------------------------------------------------------
if [ -z "${SKIP_GO:-}" ]; then
  gobench() { # pkg benchtime regexp
    echo "== go test -run '^\$' -bench '$3' -benchtime $2 -benchmem $1" >&2
    go test -run '^$' -bench "$3" -benchtime "$2" -benchmem "$1"
  }
  {
    gobench ./api 200x 'EncodeRequest100|DecodeSOAP1000|DecodeJSON1000'
    gobench ./api 20x 'Refresh10k'
    gobench ./api 3x 'RefreshCalls|RefreshWall10k'
    gobench ./ui 10x 'View|Apply|MoveSelection|Filter|IdleSecond|Startup|Heap'
    gobench ./watchlist 5x 'Load|Save|Apply10k'
  } 2>&1 | tee "$OUT/go-bench.txt" | grep -E '^(Benchmark|ok|FAIL|==)' >&2
fi

# --- whole process -----------------------------------------------------------
go build -o "$work/faxwatch" .
"$work/faxwatch" sim --listen 127.0.0.1:0 --jobs 5 >"$work/sim.txt" 2>/dev/null &
simpid=$!
for _ in $(seq 100); do grep -q '^pin:' "$work/sim.txt" 2>/dev/null && break; sleep 0.05; done
endpoint=$(sed -n 's/^endpoint: //p' "$work/sim.txt")
user=$(sed -n 's/^user_id: //p' "$work/sim.txt")
pin=$(sed -n 's/^pin: //p' "$work/sim.txt")
tick=$(getconf CLK_TCK)

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

# shows TEXT: whether the pane shows TEXT (read whole first: with pipefail,
# grep -q leaving early can make tmux die of SIGPIPE and fail the pipe).
shows() {
  local screen
  screen=$(tmux -L "$socket" capture-pane -p -t bench 2>/dev/null) || return 1
  [[ $screen == *"$1"* ]]
}

# start_until TEXT CMD: respawns the pane with CMD on a cleared screen and
# prints the ms until TEXT is on screen.
start_until() {
  local t0
  tmux -L "$socket" respawn-pane -k -t bench "sleep 3600"
  t0=$(now_ms)
  while shows "$1"; do
    sleep 0.01
    [ $(( $(now_ms) - t0 )) -gt 20000 ] && { echo "bench.sh: \"$1\" still on screen after 20s" >&2; return 1; }
  done
  sleep 0.3
  t0=$(now_ms)
  tmux -L "$socket" respawn-pane -k -t bench "$2"
  until shows "$1"; do
    sleep 0.005
    [ $(( $(now_ms) - t0 )) -gt 20000 ] && { echo "bench.sh: no \"$1\" within 20s: $2" >&2; tmux -L "$socket" capture-pane -p -t bench >&2; return 1; }
  done
  echo $(( $(now_ms) - t0 ))
}

# first_frame CMD: ms from respawning the pane with CMD until "JOB ID" is on
# screen, the median of $STARTS starts (single starts vary by ±30 ms here).
STARTS=${STARTS:-7}
first_frame() {
  local i out=()
  for ((i = 0; i < STARTS; i++)); do
    out+=("$(start_until 'JOB ID' "$1")") || return 1
  done
  printf '%s\n' "${out[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# measure N: prints "N startup_ms idle_cpu_pct vmhwm_mb vmrss_mb rows_ms": the
# first frame (the table's header, "Loading the watchlist…" while the list is
# read) and the first frame with rows.
measure() {
  local n=$1 file="$work/w$1.json" cfg="$work/c$1.toml"
  go run scripts/genwatch.go -n "$n" -o "$file"
  cat >"$cfg" <<EOF
[api]
endpoint = "$endpoint"
user_id = "$user"
[auth]
mode = "pin"
pin = "$pin"
[watch]
file = "$file"
[ui]
theme = "dark"
EOF
  chmod 600 "$cfg"
  tmux -L "$socket" kill-server 2>/dev/null || true
  tmux -L "$socket" -f /dev/null new-session -d -s bench -x 200 -y 50 "sleep 3600"
  tmux -L "$socket" set-option -g default-terminal xterm-256color >/dev/null
  sync; sleep 1
  local run="exec env HOME=$work XDG_STATE_HOME=$work $work/faxwatch --config $cfg"
  local first rows pid
  first=$(first_frame "$run")
  rows=$(start_until 'br0000' "$run")
  pid=$(tmux -L "$socket" display-message -p -t bench '#{pane_pid}')
  sleep 3 # let start-up work (GC, first tick) settle
  local c0 c1
  c0=$(cpu_ticks "$pid")
  sleep "$IDLE"
  c1=$(cpu_ticks "$pid")
  local hwm rss
  hwm=$(status_kb "$pid" VmHWM)
  rss=$(status_kb "$pid" VmRSS)
  tmux -L "$socket" send-keys -t bench q
  sleep 0.5
  tmux -L "$socket" kill-server 2>/dev/null || true
  awk -v n="$n" -v st="$first" -v d=$((c1 - c0)) -v tk="$tick" -v idle="$IDLE" -v h="$hwm" -v r="$rss" -v rows="$rows" \
    'BEGIN { printf "%d %d %.2f %.1f %.1f %d\n", n, st, 100 * d / tk / idle, h / 1024, r / 1024, rows }'
}

echo "== whole process: N startup_ms idle_cpu_% VmHWM_MB VmRSS_MB rows_ms (idle window ${IDLE}s)" >&2
{ measure 10000; measure 100000; } | tee "$OUT/process.txt" >&2

# floor FPS: prints "FPS idle_cpu_pct startup_ms" for scripts/teafloor.go, a
# Bubble Tea program that never changes its view: the renderer's own idle
# cost, and the path to any first frame in this pane (tmux, exec, Go and
# Bubble Tea start-up, the polling here), measured as the dashboard's are,
# in the same run.
floor() {
  tmux -L "$socket" kill-server 2>/dev/null || true
  tmux -L "$socket" -f /dev/null new-session -d -s bench -x 200 -y 50 "sleep 3600"
  tmux -L "$socket" set-option -g default-terminal xterm-256color >/dev/null
  sync; sleep 1
  local first
  first=$(first_frame "exec $work/teafloor -fps $1")
  local pid c0 c1
  pid=$(tmux -L "$socket" display-message -p -t bench '#{pane_pid}')
  sleep 3
  c0=$(cpu_ticks "$pid")
  sleep "$IDLE"
  c1=$(cpu_ticks "$pid")
  tmux -L "$socket" kill-server 2>/dev/null || true
  awk -v f="$1" -v d=$((c1 - c0)) -v tk="$tick" -v idle="$IDLE" -v st="$first" 'BEGIN { printf "%d %.2f %d\n", f, 100 * d / tk / idle, st }'
}
go build -o "$work/teafloor" scripts/teafloor.go
echo "== Bubble Tea alone: FPS idle_cpu_% startup_ms (scripts/teafloor.go)" >&2
{ floor 60; floor 30; } | tee "$OUT/floor.txt" >&2
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (at end)" | tee -a "$OUT/machine.txt"

# --- summary -----------------------------------------------------------------
field() { # benchmark-name unit: the value before unit on that line
  [ -f "$OUT/go-bench.txt" ] || { echo "-"; return; }
  awk -v name="$1" -v unit="$2" '$1 ~ "^"name"(-[0-9]+)?$" { for (i = 2; i <= NF; i++) if ($i == unit) { print $(i-1); exit } }' "$OUT/go-bench.txt"
}
ms() { local v; v=$(field "$1" ns/op); [ -n "$v" ] && [ "$v" != "-" ] && awk -v v="$v" 'BEGIN { printf "%.3f ms", v / 1e6 }' || echo "-"; }
proc() { awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$OUT/process.txt"; }

printf '\n%-44s %-16s %s\n' "target" "measured" "limit"
row() { printf '%-44s %-16s %s\n' "$1" "$2" "$3"; }
row "calls, N=10k F=2.5k (batched / naive)" "$(field 'BenchmarkRefreshCalls/N=10000,F=2500/batched' calls/op) / $(field 'BenchmarkRefreshCalls/N=10000,F=2500/naive' calls/op)" "= ceil((N-F)/100) = 75"
row "refresh wall, N=10k, 50ms, b100 c4" "$(ms BenchmarkRefreshWall10k) ($(field BenchmarkRefreshWall10k x-ideal)x)" "<= 1.3x of 1250 ms"
row "View() 10k, 200x50" "$(ms BenchmarkView10k)" "< 2 ms"
row "View() 100k, 200x50" "$(ms BenchmarkView100k)" "<= 1.3x View 10k"
row "View() all rows 10k (baseline)" "$(ms BenchmarkViewAllRows10k)" "-"
row "key press (move) 100k" "$(ms BenchmarkMoveSelection100k)" "< 2 ms"
row "apply 10k poll result (file store)" "$(ms BenchmarkApplyFile10k)" "< 10 ms"
row "apply 10k, save in Update (baseline)" "$(ms BenchmarkApplyFile10kSyncSave)" "-"
row "filter 100k (keystroke / first key)" "$(ms BenchmarkFilter100k) / $(ms BenchmarkFilterFirstKey100k)" "< 20 ms"
row "encode 100-ID request, SOAP 1.1 / JSON" "$(ms BenchmarkEncodeRequest100/soap11) / $(ms BenchmarkEncodeRequest100/json)" "-"
row "decode SOAP 1000 items" "$(ms BenchmarkDecodeSOAP1000) ($(field BenchmarkDecodeSOAP1000 allocs/item) allocs/item)" "< 5 ms"
row "refresh 10k end to end, CPU (b100 / b1000)" "$(field BenchmarkRefresh10k/batch=100 cpu-ms/op) / $(field BenchmarkRefresh10k/batch=1000 cpu-ms/op) ms" "-"
row "idle second (tick + frame) 10k" "$(ms BenchmarkIdleSecond10k)" "-"
row "start-up in process 10k" "$(ms BenchmarkStartup10k)" "-"
row "start-up to first frame, process, 10k" "$(proc 10000 2) ms" "< 150 ms"
row "start-up to first frame, process, 100k" "$(proc 100000 2) ms" "< 200 ms"
row "start-up to first frame, Bubble Tea alone" "$(awk '$1 == 60 { print $3 }' "$OUT/floor.txt") ms" "-"
row "start-up to rows, process, 10k / 100k" "$(proc 10000 6) / $(proc 100000 6) ms" "-"
row "idle CPU 10k / 100k" "$(proc 10000 3)% / $(proc 100000 3)%" "< 2 %"
row "RSS peak 10k" "$(proc 10000 4) MB" "< 60 MB"
row "RSS peak 100k" "$(proc 100000 4) MB" "< 250 MB"
row "idle CPU, Bubble Tea alone, 60 / 30 fps" "$(awk '$1 == 60 { print $2 }' "$OUT/floor.txt")% / $(awk '$1 == 30 { print $2 }' "$OUT/floor.txt")%" "-"
