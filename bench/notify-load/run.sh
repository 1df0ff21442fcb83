#!/usr/bin/env bash
# Asterisk monitoring load: subscriptions held and NOTIFY throughput (DESIGN.md "Performance
# targets": 50,000 presence + 50,000 MWI subscriptions in < 500 MB; >= 20,000 NOTIFYs/s).
#
# For each endpoint count N: a fresh ccsip (pinned to one core) configured with N extension DNs
# on the switch, each with a mailbox (switch.mwi.extension-enable: true), so it makes N presence
# and N MWI subscriptions at start-up, paced by switch.subscribe-rate. notify_load (C++, built
# by CMake next to this script, pinned to the other core) plays the switch: it answers every
# SUBSCRIBE 200 (Expires 3600), sends each dialog's initial NOTIFY (PIDF open, MWI 0/0) and
# keeps the dialogs. Measured:
#   1. time to N + N active subscriptions (every initial NOTIFY answered 200) and ccsip's memory
#      (VmRSS at start, when all are active, after the transactions of the start ran out
#      (Timer J, 64*T1), and VmHWM) -> bytes per subscription;
#   2. notify_load's CTI clients register every DN and, with AGENTS=1, log its agent in Ready;
#   3. load NOTIFYs at rising rates, half presence (busy <-> idle: EventAgentNotReady /
#      EventAgentReady) and half MWI (one more new message: EventUserEvent), one NOTIFY in flight
#      per dialog: each must get its 200 and its CTI event. Per rate: NOTIFYs sent and achieved
#      rate, failures, retransmissions, NOTIFY -> 200 and NOTIFY -> CTI event latency
#      (p50/p99/max), ccsip CPU per NOTIFY (/proc/<pid>/stat).
#
#   bench/notify-load/run.sh [N...]          (default: 10000 50000)
#
# Environment:
#   RATES           NOTIFY rates per second (default "5000 10000 15000 20000 25000 30000 40000";
#                   "none": subscriptions and memory only)
#   T1              ccsip's sip.timers.t1 in ms (default 500, RFC 3261's). The NOTIFY server
#                   transactions linger 64*T1 after their 200 (Timer J): with T1=50 they are gone
#                   after 3.2 s, so the held memory is seen without them (SUBSCRIBE_RATE=1000
#                   keeps the start-up free of retransmissions)
#   DURATION        seconds of NOTIFYs per rate (default 10)
#   DRAIN           seconds to wait for the last answers and events after a rate (default 5)
#   MIX             both (default), presence or mwi
#   AGENTS          1 (default): an agent per extension, logged in Ready (presence NOTIFYs make
#                   agent events); 0: no agents (presence NOTIFYs make no event)
#   CLIENTS         CTI client connections sharing the DNs (default 4)
#   SUBSCRIBE_RATE  switch.subscribe-rate (default 10000, the most the configuration allows)
#   SETTLE          seconds between "all active" and the held-memory sample (default 35: the
#                   NOTIFY server transactions linger 64*T1 = 32 s, RFC 3261 17.2.2 Timer J)
#   STOP_AFTER      stop the rates after this many failing ones in a row (default 2)
#   CCSIP_CPU       core for ccsip (default 0); TOOL_CPU core for notify_load (default 1)
#   LOG_LEVEL       ccsip log level (default info, the production default)
#   BUILD_DIR       release build directory (default build/release, made with the `release`
#                   preset when missing); ccsip and notify_load are built there first
#   OUT             results directory (default build/notify-load/<date>)
#   QUIET           1 (default): wait (up to 30 min) for load average < 1.5, < 25 % CPU busy
#                   and no other ccsip or SIPp process
#   PERF            1: `perf record` ccsip during the rates (perf.data per N; the sampling
#                   costs ccsip CPU, so the figures of such a run are not the result); PERF_OPTS
#                   its options (default "-F 1999 -g"; "--call-graph dwarf -F 499" for callers:
#                   the release build has no frame pointers)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

COUNTS=("$@")
[ ${#COUNTS[@]} -gt 0 ] || COUNTS=(10000 50000)
read -r -a RATES <<<"${RATES:-5000 10000 15000 20000 25000 30000 40000}"
[ "${RATES[*]}" = none ] && RATES=()
T1=${T1:-500}
DURATION=${DURATION:-10}
DRAIN=${DRAIN:-5}
MIX=${MIX:-both}
AGENTS=${AGENTS:-1}
CLIENTS=${CLIENTS:-4}
SUBSCRIBE_RATE=${SUBSCRIBE_RATE:-10000}
SETTLE=${SETTLE:-35}
STOP_AFTER=${STOP_AFTER:-2}
CCSIP_CPU=${CCSIP_CPU:-0}
TOOL_CPU=${TOOL_CPU:-1}
LOG_LEVEL=${LOG_LEVEL:-info}
BUILD_DIR=${BUILD_DIR:-build/release}
PERF=${PERF:-0}
OUT=${OUT:-build/notify-load/$(date -u +%Y%m%d-%H%M%S)}

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  [ "$BUILD_DIR" = build/release ] || { echo "$BUILD_DIR is not configured" >&2; exit 2; }
  cmake --preset release >/dev/null
fi
cmake --build "$BUILD_DIR" --target ccsip notify_load -j "${JOBS:-2}"
CCSIP=$ROOT/$BUILD_DIR/src/app/ccsip
TOOL=$ROOT/$BUILD_DIR/bench/notify-load/notify_load
[ -x "$TOOL" ] || { echo "$TOOL missing (configure with -DCCSIP_BENCH=ON)" >&2; exit 2; }
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
agent_flag=()
[ "$AGENTS" = 1 ] && agent_flag=(--agents)

HZ=$(getconf CLK_TCK)
# utime + stime of a process, in clock ticks (/proc/<pid>/stat fields 14 and 15).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Time ccsip was runnable but waited for its core (other processes on it), in ns
# (/proc/<pid>/schedstat field 2; ccsip runs one thread).
run_delay_ns() { awk '{print $2}' "/proc/$1/schedstat"; }
status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
metric() { # a /metrics sample: name (with labels as written) -> value
  curl -s "http://127.0.0.1:$HTTP_PORT/metrics" | awk -v n="$1" '$1 == n {print $2}'
}
now() { date +%s.%N; }
udp_drops() { # datagrams the kernel dropped for the UDP socket bound to 127.0.0.1:$1 (buffer full)
  awk -v a="$(printf '0100007F:%04X' "$1")" '$2 == a {d = $NF} END {print d + 0}' /proc/net/udp
}
field() { # key=value of a result line
  tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k {print $2}'
}

pids=()
cleanup() {
  local i
  # Last started first: the memory sampler, ccsip (it unsubscribes, and notify_load answers),
  # then notify_load.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
  pids=()
  exec 3>&- 2>/dev/null || true
}
trap cleanup EXIT

# Sends a command line to notify_load and waits (up to $2 s) for its answer line starting with
# the command's result word ($3).
ask() {
  local lines before
  before=$(wc -l <tool.out)
  echo "$1" >&3
  for _ in $(seq $(($2 * 10))); do
    lines=$(wc -l <tool.out)
    if [ "$lines" -gt "$before" ]; then
      tail -n +"$((before + 1))" tool.out | grep -m1 -E "^($3|error) " && return 0
    fi
    sleep 0.1
  done
  echo "no answer to '$1' within $2 s" >&2
  return 1
}

# Other work on the machine disturbs every figure (ccsip shares its core with whatever else
# runs there). QUIET=1 (default) waits, checking every 2 minutes for up to 30, until the 1-minute
# load average is below 1.5, the cores were less than 25 % busy over 5 s, and no other ccsip or
# SIPp runs.
busy_percent() {
  local a b
  read -r -a a </proc/stat
  sleep 5
  read -r -a b </proc/stat
  awk -v u="$((b[1] + b[2] + b[3] + b[6] + b[7] - a[1] - a[2] - a[3] - a[6] - a[7]))" \
    -v i="$((b[4] + b[5] - a[4] - a[5]))" 'BEGIN {printf "%.0f", 100 * u / (u + i)}'
}
if [ "${QUIET:-1}" = 1 ]; then
  for attempt in $(seq 16); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    busy=$(busy_percent)
    # Another load test (ccsip, SIPp) would share ccsip's core even in a quiet moment.
    others=$( (pgrep -x 'ccsip|sipp' || true) | wc -l)
    awk -v l="$load" -v b="$busy" -v o="$others" 'BEGIN {exit !(l < 1.5 && b < 25 && o == 0)}' &&
      break
    [ "$attempt" = 16 ] && { echo "still busy (load $load, $busy % busy); measuring anyway" >&2; break; }
    echo "waiting for a quiet machine: load $load, $busy % busy, $others ccsip/sipp running" >&2
    sleep 120
  done
fi

{
  echo "# notify-load $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); cores busy over 5 s: ${busy:-?} %"
  echo "rates: ${RATES[*]}; ${DURATION} s each + ${DRAIN} s drain; mix $MIX; agents $AGENTS;" \
    "$CLIENTS CTI clients; subscribe-rate $SUBSCRIBE_RATE; ccsip on CPU $CCSIP_CPU," \
    "notify_load on CPU $TOOL_CPU; T1 $T1 ms; log level $LOG_LEVEL"
} | tee "$OUT/summary.txt"
subs_table=$OUT/subscriptions.md
rate_table=$OUT/notify.md
{
  echo "| endpoints N | subscriptions | time to all active | SUBSCRIBE retrans. (UDP drops ccsip / tool) | ccsip CPU to all active | VmRSS at start | VmRSS all active | VmRSS held (+${SETTLE} s) | per subscription (held - start) / 2N | VmHWM | load 1 min |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$subs_table"
{
  echo "| N | offered NOTIFY/s | sent | achieved/s | 200 | no 200 | events / expected | retrans. (UDP drops ccsip / tool) | NOTIFY→200 p50 / p99 (ms) | NOTIFY→event p50 / p99 / max (ms) | ccsip CPU | ccsip waiting for its core | CPU per NOTIFY | tool CPU, longest pause | ccsip VmRSS after | server txns alive after | load 1 min |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$rate_table"

for count in "${COUNTS[@]}"; do
  dir=$OUT/n-$count
  mkdir -p "$dir"
  cd "$dir"
  rm -f ports.txt tool.out control
  mkfifo control
  taskset -c "$TOOL_CPU" "$TOOL" serve --count "$count" "${agent_flag[@]}" <control >tool.out \
    2>tool.err &
  pids+=($!)
  exec 3>control
  for _ in $(seq 50); do grep -q '^port ' tool.out && break; sleep 0.1; done
  switch_port=$(awk '$1 == "port" {print $2}' tool.out)
  "$TOOL" config --count "$count" --switch-port "$switch_port" "${agent_flag[@]}" \
    --subscribe-rate "$SUBSCRIBE_RATE" --t1 "$T1" --log-level "$LOG_LEVEL" >ccsip.yaml

  launched=$(now)
  taskset -c "$CCSIP_CPU" "$CCSIP" --config ccsip.yaml --port-file ports.txt >ccsip.log 2>&1 &
  ccsip_pid=$!
  pids+=("$ccsip_pid")
  # Loading 50,000 DNs and agents takes seconds.
  for _ in $(seq 18000); do [ -s ports.txt ] && break; sleep 0.01; done
  [ -s ports.txt ] || { echo "ccsip did not start:" >&2; tail ccsip.log >&2; exit 1; }
  # Configuration loaded, the monitors built, the first SUBSCRIBEs just leaving.
  rss_start=$(status_kb "$ccsip_pid" VmRSS)
  SIP_PORT=$(awk '$1 == "udp" {print $3}' ports.txt)
  CTI_PORT=$(awk '$1 == "cti" {print $3}' ports.txt)
  HTTP_PORT=$(awk '$1 == "http" {print $3}' ports.txt)
  (while kill -0 "$ccsip_pid" 2>/dev/null; do
    echo "$(now) $(status_kb "$ccsip_pid" VmRSS)"
    sleep 0.5
  done) >rss.log 2>/dev/null &
  pids+=($!)

  subs=$(ask "wait-subs 600" 620 subs)
  subs_drops="$(udp_drops "$SIP_PORT") / $(udp_drops "$switch_port")"
  active_at=$(now)
  rss_active=$(status_kb "$ccsip_pid" VmRSS)
  subs_ticks=$(cpu_ticks "$ccsip_pid")
  echo "$subs" | tee -a "$OUT/summary.txt"
  sleep "$SETTLE"
  rss_held=$(status_kb "$ccsip_pid" VmRSS)
  hwm=$(status_kb "$ccsip_pid" VmHWM)
  curl -s "http://127.0.0.1:$HTTP_PORT/metrics" >metrics-held.txt
  load=$(cut -d' ' -f1 /proc/loadavg)
  row=$(awk -v n="$count" -v p="$(field "$subs" presence)" -v m="$(field "$subs" mwi)" \
    -v t="$(awk -v a="$launched" -v b="$active_at" 'BEGIN {print b - a}')" \
    -v s="$rss_start" -v a="$rss_active" -v h="$rss_held" -v w="$hwm" -v load="$load" \
    -v ticks="$subs_ticks" -v hz="$HZ" -v re="$(field "$subs" subscribe_retrans)" -v drops="$subs_drops" 'BEGIN {
      printf "| %d | %d + %d | %.1f s | %d (%s) | %.1f s (%.0f us each) | %.1f MB | %.1f MB | %.1f MB | %.0f B | %.1f MB | %s |",
        n, p, m, t, re, drops, ticks / hz, 1e6 * ticks / hz / (p + m), s / 1024, a / 1024, h / 1024,
        (h - s) * 1024 / (2 * n), w / 1024, load
    }')
  echo "$row" >>"$subs_table"
  echo "$row"
  echo "dialogs $(metric ccsip_sip_dialogs), transactions" \
    "$(metric 'ccsip_sip_transactions_active{role="client"}')" \
    "+ $(metric 'ccsip_sip_transactions_active{role="server"}') after ${SETTLE} s" |
    tee -a "$OUT/summary.txt"

  cti=$(ask "cti $CTI_PORT $CLIENTS" 600 cti)
  echo "$cti" | tee -a "$OUT/summary.txt"
  echo "VmRSS with the CTI clients: $(($(status_kb "$ccsip_pid" VmRSS) / 1024)) MB" |
    tee -a "$OUT/summary.txt"
  sleep 2

  if [ "$PERF" = 1 ]; then
    # shellcheck disable=SC2086
    perf record ${PERF_OPTS:--F 1999 -g} -p "$ccsip_pid" -o perf.data >perf.log 2>&1 &
    perf_pid=$!
  fi
  failing=0
  for rate in "${RATES[@]}"; do
    ticks_before=$(cpu_ticks "$ccsip_pid")
    delay_before=$(run_delay_ns "$ccsip_pid")
    ccsip_drops=$(udp_drops "$SIP_PORT")
    tool_drops=$(udp_drops "$switch_port")
    result=$(ask "run $rate $DURATION $DRAIN $MIX" $((DURATION + DRAIN + 60)) run)
    ticks_after=$(cpu_ticks "$ccsip_pid")
    rss=$(status_kb "$ccsip_pid" VmRSS)
    delay=$(($(run_delay_ns "$ccsip_pid") - delay_before))
    lingering=$(metric 'ccsip_sip_transactions_active{role="server"}')
    drops="$(($(udp_drops "$SIP_PORT") - ccsip_drops)) / $(($(udp_drops "$switch_port") - tool_drops))"
    echo "$result" >>runs.log
    load=$(cut -d' ' -f1 /proc/loadavg)
    sent=$(field "$result" sent)
    answered=$(field "$result" answered)
    expected=$(field "$result" events_expected)
    events=$(field "$result" events)
    retrans=$(field "$result" retrans)
    achieved=$(field "$result" achieved)
    row=$(awk -v n="$count" -v rate="$rate" -v sent="$sent" -v ach="$achieved" \
      -v ok="$answered" -v ev="$events" -v wanted="$expected" -v re="$retrans" \
      -v a50="$(field "$result" answer_p50_ms)" -v a99="$(field "$result" answer_p99_ms)" \
      -v e50="$(field "$result" event_p50_ms)" -v e99="$(field "$result" event_p99_ms)" \
      -v emax="$(field "$result" event_max_ms)" -v tool="$(field "$result" tool_cpu_s)" -v gap="$(field "$result" tool_max_gap_ms)" \
      -v wall="$(field "$result" wall_s)" -v ticks=$((ticks_after - ticks_before)) \
      -v hz="$HZ" -v load="$load" -v rss="$rss" -v txn="$lingering" -v drops="$drops" -v delay="$delay" 'BEGIN {
        cpu = ticks / hz
        printf "| %d | %d | %d | %.0f | %d | %d | %d / %d | %d (%s) | %.2f / %.2f | %.2f / %.2f / %.1f | %.1f s (%.0f %% of %.1f s) | %.2f s | %.1f us | %.1f s, %.0f ms | %.0f MB | %d | %s |",
          n, rate, sent, ach, ok, sent - ok, ev, wanted, re, drops, a50, a99, e50, e99, emax, cpu,
          100 * cpu / wall, wall, delay / 1e9, ok ? 1e6 * cpu / ok : 0, tool, gap, rss / 1024, txn, load
      }')
    echo "$row" >>"$rate_table"
    echo "$row"
    # Passed: every NOTIFY answered 200 at the first try, every event arrived, and the offered
    # rate was kept (within 3 %).
    if [ "$answered" = "$sent" ] && [ "$events" = "$expected" ] && [ "$retrans" = 0 ] &&
      awk -v a="$achieved" -v r="$rate" 'BEGIN {exit !(a >= 0.97 * r)}'; then
      failing=0
    else
      failing=$((failing + 1))
      [ "$failing" -ge "$STOP_AFTER" ] && break
    fi
  done
  if [ "$PERF" = 1 ]; then
    kill -INT "$perf_pid" 2>/dev/null || true
    wait "$perf_pid" 2>/dev/null || true
  fi
  echo "VmHWM after the rates: $(($(status_kb "$ccsip_pid" VmHWM) / 1024)) MB," \
    "VmRSS $(($(status_kb "$ccsip_pid" VmRSS) / 1024)) MB" | tee -a "$OUT/summary.txt"
  curl -s "http://127.0.0.1:$HTTP_PORT/metrics" >metrics-end.txt
  cleanup
  cd "$ROOT"
done

echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
cat "$subs_table"
echo
cat "$rate_table"
echo "results: $OUT"
