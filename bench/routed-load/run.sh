#!/usr/bin/env bash
# Routed inbound call load: SIPp as Asterisk sends calls to routing point 8000, the embedded
# router picks the longest-idle Ready agent, the B2BUA rings the agent's extension on the
# switch (a second SIPp, answering at once), and the caller hangs up after a hold time.
# For each call rate: a fresh ccsip (pinned to one core), the agents logged in Ready over CTI
# (and a CTI client watching their DNs, as desktops would), SIPp caller and agent on the other
# core; then failed calls, INVITE -> 200 setup time, ccsip CPU per call and peak RSS. The agent
# SIPp also plays Asterisk's presence notifier: each agent extension's SUBSCRIBE is answered
# and notified "open" once, at start-up, before the calls.
#
#   bench/routed-load/run.sh [RATE...]        (default: 1000 2000 3000 3500 4000 5000)
#   make bench-routed [RATES="1000 2000"]
#
# Output in $OUT: table.md (one row per rate, as in docs/benchmarks.md), summary.txt (machine,
# load, settings), and per rate: ccsip's log and configuration, SIPp's statistics and errors,
# metrics.txt (/metrics after the drain), cpu_trace.txt, and calls_left.json (/api/v1/calls)
# when something of the calls was still alive after the drain.
#
# Environment:
#   DURATION    seconds of calls per rate (default 30: about the 32 s that finished
#               transactions linger, so the peak RSS is close to the steady state)
#   HOLD_MS     talk time before the caller's BYE (default 100)
#   AGENTS      agents (and extension DNs) in the one group (default 1000). The group must
#               hold every call in progress: rate x (hold + setup) agents at least. The default
#               target's longest-idle pick scans the whole group, so its size costs CPU per call
#   DRAIN       seconds to wait after the calls for every call, dialog and transaction to end
#               (default 45; the CPU they take is counted)
#   CCSIP_CPU   core for ccsip (default 0); SIPP_CPU core for SIPp and the CTI client (default 1)
#   WATCH       1 (default): a CTI client stays registered on every agent DN and reads the
#               events; 0: it disconnects after the logins (no CTI events sent)
#   LOG_LEVEL   ccsip log level (default info, the production default)
#   BUILD_DIR   release build directory (default build/release, made with the `release`
#               preset when missing); the binary is built there first
#   CCSIP_BIN   a ccsip binary to run instead (no build): the same binary across runs
#   OUT         results directory (default build/routed-load/<date>)
#   MAX_FAILED  stop after a rate whose failed-call percentage is above this (default 5)
#   SIPP_TRACE  1: SIPp logs every message (caller_messages.log, agent_messages.log; slows SIPp)
#   PERF        1: `perf record -g` ccsip while the calls run (perf.data in each rate's folder;
#               the sampling costs ccsip CPU, so the figures of such a run are not the result)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/bench/routed-load
SCENARIOS=$ROOT/tests/integration/scenarios  # shared with concurrent_calls_test
TOOL="python3 $HERE/loadtool.py"

RATES=("$@")
[ ${#RATES[@]} -gt 0 ] || RATES=(1000 2000 3000 3500 4000 5000)
DURATION=${DURATION:-30}
HOLD_MS=${HOLD_MS:-100}
AGENTS=${AGENTS:-1000}
DRAIN=${DRAIN:-45}
CCSIP_CPU=${CCSIP_CPU:-0}
SIPP_CPU=${SIPP_CPU:-1}
WATCH=${WATCH:-1}
LOG_LEVEL=${LOG_LEVEL:-info}
BUILD_DIR=${BUILD_DIR:-build/release}
MAX_FAILED=${MAX_FAILED:-5}
PERF=${PERF:-0}
SIPP_TRACE=${SIPP_TRACE:-0}
OUT=${OUT:-build/routed-load/$(date -u +%Y%m%d-%H%M%S)}
[ "$AGENTS" -le 99999 ] || { echo "AGENTS must be below 100000" >&2; exit 2; }

command -v sipp >/dev/null || { echo "sipp not found (Debian package sip-tester)" >&2; exit 2; }
if [ -n "${CCSIP_BIN:-}" ]; then
  CCSIP=$(realpath "$CCSIP_BIN")
else
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    [ "$BUILD_DIR" = build/release ] || { echo "$BUILD_DIR is not configured" >&2; exit 2; }
    cmake --preset release >/dev/null
  fi
  cmake --build "$BUILD_DIR" --target ccsip -j "${JOBS:-2}"
  CCSIP=$ROOT/$BUILD_DIR/src/app/ccsip
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# utime + stime of a process, in clock ticks (/proc/<pid>/stat fields 14 and 15; the command
# name in field 2 has no spaces here).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
metric() { # name of a /metrics sample without labels -> value ("" when absent)
  curl -s "http://127.0.0.1:$HTTP_PORT/metrics" | awk -v n="$1" '$1 == n {print $2}'
}
left_over() { # what the calls still hold: "0", or the non-zero counts
  curl -s "http://127.0.0.1:$HTTP_PORT/metrics" | awk -v d="$baseline_dialogs" -v u="$baseline_usages" '
    $1 == "ccsip_calls" {c = $2}
    $1 == "ccsip_b2bua_calls" {b = $2}
    $1 == "ccsip_sip_dialogs" {dl = $2 - d}
    $1 == "ccsip_sip_dialog_usages" {us = $2 - u}
    $1 ~ /^ccsip_sip_transactions_active/ {t += $2}
    END {
      if (c + b + dl + us + t == 0) {print "0"; exit}
      printf "calls %d, b2bua %d, dialogs %d, usages %d, transactions %d\n", c, b, dl, us, t
    }'
}

sipp_trace() { [ "$SIPP_TRACE" = 1 ] && echo "-trace_msg -message_file $1_messages.log"; true; }

# Per second while the calls run: the CPU % of ccsip, the SIPp agent side, the SIPp caller and
# the CTI watcher, and how busy each of the two cores was in all (cpu_trace.txt in each rate's
# folder): shows which side ran out of CPU, and whether anything else ran on ccsip's core.
core_busy() { # "busy total" jiffies of core $1 (/proc/stat: busy = all but idle and iowait)
  awk -v c="cpu$1" '$1 == c {t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t}' /proc/stat
}
trace_cpu() {
  local pid prev=() now i second line b0 t0 b1 t1 nb0 nt0 nb1 nt1
  echo "# second ccsip% sipp-agent% sipp-caller% cti-watcher% core$CCSIP_CPU-busy% core$SIPP_CPU-busy%"
  for pid in "$@"; do prev+=("$(cpu_ticks "$pid" 2>/dev/null || echo 0)"); done
  read -r b0 t0 < <(core_busy "$CCSIP_CPU")
  read -r b1 t1 < <(core_busy "$SIPP_CPU")
  for ((second = 1; ; second++)); do
    sleep 1
    now=()
    for pid in "$@"; do now+=("$(cpu_ticks "$pid" 2>/dev/null || echo 0)"); done
    read -r nb0 nt0 < <(core_busy "$CCSIP_CPU")
    read -r nb1 nt1 < <(core_busy "$SIPP_CPU")
    line="$second"
    for i in "${!now[@]}"; do line+=" $(((now[i] - prev[i]) * 100 / HZ))"; done
    line+=" $(((nb0 - b0) * 100 / (nt0 - t0 + 1))) $(((nb1 - b1) * 100 / (nt1 - t1 + 1)))"
    echo "$line"
    prev=("${now[@]}")
    b0=$nb0 t0=$nt0 b1=$nb1 t1=$nt1
  done
}

pids=()
cleanup() { # last started first: the CTI client, ccsip (it unsubscribes), then the switch
  local i child
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    # SIPp runs under /usr/bin/time: its child goes first (time would not pass the signal on).
    for child in $(pgrep -P "${pids[i]}" 2>/dev/null); do kill "$child" 2>/dev/null || true; done
    kill "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
  pids=()
}
trap cleanup EXIT

{
  echo "# routed-load $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "agents $AGENTS, hold ${HOLD_MS} ms, ${DURATION} s per rate, drain ${DRAIN} s, ccsip on CPU $CCSIP_CPU," \
    "SIPp on CPU $SIPP_CPU, CTI watcher $WATCH, log level $LOG_LEVEL"
  echo "sipp: $(sipp -v 2>&1 | grep -o 'SIPp v[^ ]*' | head -1)"
} | tee "$OUT/summary.txt"
table=$OUT/table.md
{
  echo "| offered calls/s | achieved | calls | failed | setup ms: mean / p50 / p99 / max | ccsip core busy | ccsip CPU per call | ccsip peak RSS | SIPp CPU (both) | retransmissions SIPp / ccsip | left after drain | CTI watcher | load 1 min |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|"
} >"$table"

for rate in "${RATES[@]}"; do
  dir=$OUT/rate-$rate
  mkdir -p "$dir"
  cd "$dir"
  rm -f routed_load_caller_*.csv  # SIPp names its files by pid: none of an earlier run
  calls=$((rate * DURATION))
  switch_port=$($TOOL free-udp-port)
  $TOOL config --agents "$AGENTS" --switch-port "$switch_port" --log-level "$LOG_LEVEL" \
    >ccsip.yaml
  rm -f ports.txt

  # The switch: SIPp answering the presence SUBSCRIBEs (one per agent extension, at ccsip's
  # start) and the agent legs. Started first so that the subscriptions find it.
  taskset -c "$SIPP_CPU" /usr/bin/time -f "%U %S" -o agent_time.txt \
    sipp -sf "$SCENARIOS/routed_load_agent.xml" -i 127.0.0.1 -p "$switch_port" -t u1 \
    -m "$((calls + AGENTS))" -nostdin -timeout "$((DURATION + DRAIN + 120))s" \
    -max_recv_loops 100000 $(sipp_trace agent) \
    -trace_err -error_file agent_errors.log -trace_screen -screen_file agent_screen.log \
    >agent_output.log 2>&1 &
  agent_pid=$!
  pids+=("$agent_pid")
  sleep 0.5

  taskset -c "$CCSIP_CPU" "$CCSIP" --config ccsip.yaml --port-file ports.txt >ccsip.log 2>&1 &
  ccsip_pid=$!
  pids+=("$ccsip_pid")
  for _ in $(seq 100); do [ -s ports.txt ] && break; sleep 0.1; done
  [ -s ports.txt ] || { echo "ccsip did not start:" >&2; tail ccsip.log >&2; exit 1; }
  SIP_PORT=$(awk '$1 == "udp" {print $3}' ports.txt)
  CTI_PORT=$(awk '$1 == "cti" {print $3}' ports.txt)
  HTTP_PORT=$(awk '$1 == "http" {print $3}' ports.txt)

  # Every presence subscription made and notified "open": one dialog per agent extension.
  for _ in $(seq 120); do
    [ "$(metric ccsip_sip_dialogs)" = "$AGENTS" ] && break
    sleep 0.5
  done
  baseline_dialogs=$(metric ccsip_sip_dialogs)
  baseline_usages=$(metric ccsip_sip_dialog_usages)
  [ "$baseline_dialogs" = "$AGENTS" ] ||
    echo "warning: $baseline_dialogs of $AGENTS presence subscriptions made" >&2

  if [ "$WATCH" = 1 ]; then
    taskset -c "$SIPP_CPU" $TOOL login --port "$CTI_PORT" --agents "$AGENTS" --stay >cti.log 2>&1 &
    watcher_pid=$!
    pids+=("$watcher_pid")
    for _ in $(seq 600); do grep -q "logged in" cti.log && break; sleep 0.2; done
    grep -q "logged in" cti.log || { echo "agent login failed:" >&2; cat cti.log >&2; exit 1; }
  else
    taskset -c "$SIPP_CPU" $TOOL login --port "$CTI_PORT" --agents "$AGENTS" >cti.log 2>&1
    watcher_pid=$$
  fi
  sleep 1

  if [ "$PERF" = 1 ]; then
    perf record -F 999 --call-graph dwarf,16384 -p "$ccsip_pid" -o perf.data >perf.log 2>&1 &
    perf_pid=$!
  fi
  retrans_before=$(metric ccsip_sip_retransmissions_total)
  ticks_before=$(cpu_ticks "$ccsip_pid")
  started=$(date +%s.%N)
  taskset -c "$SIPP_CPU" /usr/bin/time -f "%U %S" -o caller_time.txt \
    sipp -sf "$SCENARIOS/routed_load_caller.xml" -i 127.0.0.1 -t u1 -s 8000 "127.0.0.1:$SIP_PORT" \
    -r "$rate" -m "$calls" -l "$AGENTS" -d "$HOLD_MS" -nostdin \
    -recv_timeout 10000 -timeout "$((DURATION + 60))s" -max_recv_loops 100000 \
    -max_sched_loops 100000 -trace_rtt -rtt_freq 1000 -trace_stat -fd 1 $(sipp_trace caller) \
    -trace_err -error_file caller_errors.log -trace_screen -screen_file caller_screen.log \
    >caller_output.log 2>&1 &
  caller_pid=$!
  sleep 0.1
  # taskset execs /usr/bin/time, whose child is SIPp.
  trace_cpu "$ccsip_pid" "$(pgrep -P "$agent_pid" | head -1)" "$(pgrep -P "$caller_pid" | head -1)" \
    "$watcher_pid" >cpu_trace.txt &
  tracer_pid=$!
  pids+=("$caller_pid" "$tracer_pid")
  wait "$caller_pid" || true
  kill "$tracer_pid" 2>/dev/null || true
  wait "$tracer_pid" 2>/dev/null || true
  pids=("${pids[@]:0:${#pids[@]}-2}")  # both ended: never signal their (reusable) ids again
  ended=$(date +%s.%N)
  ticks_calls=$(cpu_ticks "$ccsip_pid")
  load=$(cut -d' ' -f1 /proc/loadavg)
  if [ "$PERF" = 1 ]; then
    kill -INT "$perf_pid" 2>/dev/null || true
    wait "$perf_pid" 2>/dev/null || true
  fi
  # Everything the calls left behind runs out (Timer J/L/M: 64 x T1 = 32 s), so the CPU
  # counted is all of the calls' work, and nothing may stay alive (a leak check).
  # Polled every 3 s: a /metrics scrape costs ccsip some milliseconds, counted with the calls.
  left=""
  for _ in $(seq 0 3 "$DRAIN"); do
    left=$(left_over)
    [ "$left" = 0 ] && break
    sleep 3
  done
  ticks_after=$(cpu_ticks "$ccsip_pid")
  hwm_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$ccsip_pid/status")
  curl -s "http://127.0.0.1:$HTTP_PORT/metrics" >metrics.txt
  [ "$left" = 0 ] || curl -s "http://127.0.0.1:$HTTP_PORT/api/v1/calls" >calls_left.json
  retrans_ccsip=$(awk -v b="$retrans_before" '$1 == "ccsip_sip_retransmissions_total" {print $2 - b}' metrics.txt)
  cleanup
  watcher=$(tail -1 cti.log)
  cd "$ROOT"

  read -r outgoing successful failed retrans avg_rate < <($TOOL stat "$dir"/routed_load_caller_*_.csv)
  read -r _n mean p50 p99 max < <($TOOL rtt "$dir"/routed_load_caller_*_rtt.csv)
  sipp_cpu=$(cat "$dir/caller_time.txt" "$dir/agent_time.txt" 2>/dev/null |
    awk '/^[0-9.]+ [0-9.]+$/ {s += $1 + $2} END {printf "%.1f", s}')
  case "$watcher" in
    "CTI events received while watching: "*) cti="${watcher##*: } events" ;;
    *) cti="cut off" ;;
  esac
  [ "$WATCH" = 1 ] || cti="none"
  row=$(awk -v rate="$rate" -v out="$outgoing" -v ok="$successful" -v avg="$avg_rate" \
    -v mean="$mean" -v p50="$p50" -v p99="$p99" -v max="$max" -v hz="$HZ" \
    -v calls_ticks=$((ticks_calls - ticks_before)) -v all_ticks=$((ticks_after - ticks_before)) \
    -v wall="$(awk -v a="$started" -v b="$ended" 'BEGIN {print b - a}')" -v hwm="$hwm_kb" \
    -v sipp="$sipp_cpu" -v retrans="$retrans" -v cretrans="$retrans_ccsip" -v left="$left" \
    -v cti="$cti" -v load="$load" 'BEGIN {
      lost = out - ok
      printf "| %d | %.0f | %d | %d (%.3f %%) | %.1f / %.0f / %.0f / %.0f | %.0f %% | %.0f us | %.0f MB | %.0f %% | %d / %d | %s | %s | %s |",
        rate, avg, out, lost, out ? 100 * lost / out : 0, mean, p50, p99, max,
        100 * calls_ticks / hz / wall, ok ? 1e6 * all_ticks / hz / ok : 0, hwm / 1024,
        100 * sipp / wall, retrans, cretrans, left, cti, load
    }')
  echo "$row" >>"$table"
  echo "$row"
  pct=$(awk -v o="$outgoing" -v s="$successful" 'BEGIN {print (o ? 100 * (o - s) / o : 100)}')
  if awk -v p="$pct" -v m="$MAX_FAILED" 'BEGIN {exit !(p > m)}'; then
    echo "stopping: $pct % of the calls failed at $rate calls/s"
    break
  fi
done

echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
cat "$table"
echo "results: $OUT"
