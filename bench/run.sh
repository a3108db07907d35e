#!/usr/bin/env bash
# Benchmark driver: shinsa's JsonLogic engine (C) against json-logic-js and
# json-logic-engine (interpreted and build()), same rules, same data, one run
# on this machine. Figures are evaluations/second on one core.
#
#   bash bench/run.sh
#
# Environment:
#   BENCH_SECONDS  timed seconds per engine per workload (default 3)
#   BENCH_WARMUP   JS warm-up seconds before timing (default 1)
#   BENCH_RUNS     rounds (default 3): each round runs the C program once, then every JS
#                  engine once in a process of its own; every figure reported is the
#                  median of its rounds, so a change in the machine's speed during the
#                  run falls on both sides alike
#   BUILD_DIR      meson build directory for the C side (default ../build-release,
#                  i.e. build-release/ at the project root)
#   BENCH_NO_BUILD set to 1 to use an existing bench_logic without (re)building
#   BENCH_CPU      CPU to pin every benchmark process to with taskset (default 0;
#                  set empty to not pin). Pinning keeps V8's GC/JIT helper
#                  threads on the same core, so "per core" means one core.
#   BENCH_OFFICIAL path of the official tests.json
#                  (default ../../shared/conformance/jsonlogic/official/tests.json)
set -euo pipefail

cd "$(dirname "$0")"
bench_dir=$(pwd)
top=$(cd .. && pwd)   # project root: the meson source directory

export BENCH_SECONDS=${BENCH_SECONDS:-3}
BUILD_DIR=${BUILD_DIR:-../build-release}
BENCH_CPU=${BENCH_CPU-0}
OFFICIAL=${BENCH_OFFICIAL:-../../shared/conformance/jsonlogic/official/tests.json}
export BENCH_OFFICIAL=$OFFICIAL

say() { printf '== %s\n' "$*" >&2; }

command -v node >/dev/null || { echo "run.sh: node is not installed (bash scripts/deps.sh)" >&2; exit 1; }
command -v npm >/dev/null || { echo "run.sh: npm is not installed (bash scripts/deps.sh)" >&2; exit 1; }
[ -f "$OFFICIAL" ] || { echo "run.sh: official suite not found at $OFFICIAL" >&2; exit 1; }
OFFICIAL=$(cd "$(dirname "$OFFICIAL")" && pwd)/$(basename "$OFFICIAL")
export BENCH_OFFICIAL=$OFFICIAL

pin=()
if [ -n "$BENCH_CPU" ]; then
  if command -v taskset >/dev/null && taskset -c "$BENCH_CPU" true 2>/dev/null; then
    pin=(taskset -c "$BENCH_CPU")
  else
    say "cannot pin to CPU $BENCH_CPU with taskset; running unpinned"
  fi
fi

# 1. JS dependencies, exactly as locked.
if [ ! -d node_modules/json-logic-js ] || [ ! -d node_modules/json-logic-engine ]; then
  say "npm ci"
  npm ci --no-audit --no-fund >&2
fi

# 2. Workload (b): deterministic rules and fact documents in out/.
say "generating workload"
node gen_workload.mjs >&2

mkdir -p out
c_out=out/results_c.txt
js_out=out/results_js.txt
rm -f "$c_out" "$js_out"

# 3. The C benchmark.
c_bin=$BUILD_DIR/bench/bench_logic
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  if command -v meson >/dev/null && command -v ninja >/dev/null; then
    if [ ! -f "$BUILD_DIR/build.ninja" ]; then
      say "meson setup $BUILD_DIR -Dbuildtype=release -Dtests=false"
      if ! meson setup "$BUILD_DIR" "$top" -Dbuildtype=release -Dtests=false >"$bench_dir/out/meson_setup.log" 2>&1; then
        say "meson setup failed (log: bench/out/meson_setup.log); last lines:"
        tail -n 5 "$bench_dir/out/meson_setup.log" >&2 || true
      fi
    fi
    if [ -f "$BUILD_DIR/build.ninja" ]; then
      say "ninja -C $BUILD_DIR bench/bench_logic"
      if ! ninja -C "$BUILD_DIR" bench/bench_logic >"$bench_dir/out/ninja.log" 2>&1; then
        say "building bench/bench_logic failed (log: bench/out/ninja.log); last lines:"
        tail -n 5 "$bench_dir/out/ninja.log" >&2 || true
      fi
    fi
  else
    say "meson/ninja not installed: cannot build the C benchmark (bash scripts/deps.sh)"
  fi
fi

runs=${BENCH_RUNS:-3}
case "$runs" in ''|*[!0-9]*|0) echo "bench: BENCH_RUNS must be a positive integer" >&2; exit 2 ;; esac
[ -x "$c_bin" ] || {
  say "shinsa (C): $c_bin not found, so the C engine is left out of this run"
  say "(it appears once bench/bench_logic builds: meson setup $BUILD_DIR -Dbuildtype=release -Dtests=false && ninja -C $BUILD_DIR bench/bench_logic)"
}
js_status=0
for round in $(seq "$runs"); do
  if [ -x "$c_bin" ]; then
    say "round $round of $runs: shinsa (C): $c_bin"
    # --expected (first round): bench_logic checks its answers against json-logic-js's first.
    expected=()
    [ "$round" = 1 ] && [ -f out/policy_expected.jsonl ] && expected=(--expected out/policy_expected.jsonl)
    if ! "${pin[@]}" "$c_bin" --official "$OFFICIAL" --rules out/policy_rules.json \
         --facts out/facts.jsonl "${expected[@]}" --seconds "$BENCH_SECONDS" | tee -a "$c_out"; then
      say "bench_logic exited with an error; using whatever RESULT lines it printed"
    fi
  fi
  # 4. The JS engines, a process each.
  say "round $round of $runs: JS engines: json-logic-js, json-logic-engine (interpreted), json-logic-engine (built)"
  BENCH_RUNS=1 "${pin[@]}" node jsbench.mjs | tee -a "$js_out" || js_status=$?
done

# 5. Side by side.
echo
echo "=== shinsa vs JS engines (node $(node --version); ${BENCH_SECONDS}s timed per process; every figure the median of $runs rounds${pin:+; pinned to CPU $BENCH_CPU}) ==="
node report.mjs "$c_out" "$js_out"
[ -x "$c_bin" ] || echo "note: no C figures ($c_bin missing); the table shows the JS engines only."
exit "$js_status"
