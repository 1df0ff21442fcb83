#!/usr/bin/env bash
# Builds the release preset and runs every Google Benchmark micro benchmark (bench_*), in well
# under a minute. Extra arguments go to each benchmark (e.g. --benchmark_filter=Invite).
#   MIN_TIME  seconds per benchmark (default 0.5)
#   JOBS      parallel compile jobs (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."

cmake --preset release >/dev/null
# Every bench/bench_*.cpp is a target of the same name (bench_parser, ...).
targets=()
for source in bench/bench_*.cpp; do targets+=("$(basename "$source" .cpp)"); done
cmake --build build/release --target "${targets[@]}" -j "${JOBS:-2}"

status=0
for bench in build/release/bench/bench_*; do
  [ -x "$bench" ] && [ -f "$bench" ] || continue
  echo "== $(basename "$bench")"
  "$bench" --benchmark_min_time="${MIN_TIME:-0.5}" "$@" || status=$?
done
exit "$status"
