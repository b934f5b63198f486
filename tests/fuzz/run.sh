#!/usr/bin/env bash
# Fuzzing: libFuzzer targets (clang, with AddressSanitizer and UndefinedBehaviorSanitizer)
# for the ledger CSV reader, the Japanese birth-date parser, the shared text rules (search
# key, JSON strings) and the sensor upload decoder. Each runs from its corpus in
# tests/fuzz/corpus/<target> for the given seconds; a crash, leak, sanitizer report or
# broken property fails the run and leaves the input in build/fuzz/crash-<target>-*.
#   tests/fuzz/run.sh [seconds per target, default 20]
# The targets compile the few sources they test straight from src/ (no CMake build).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}
out=build/fuzz
mkdir -p "$out"
sanitize=(-fsanitize=address,undefined -fno-sanitize-recover=undefined)
flags=(-std=c++20 -O1 -g -fsanitize=fuzzer-no-link "${sanitize[@]}" -Isrc
       -DHAS_STRING_VIEW=1 -DONLY_C_LOCALE=1 -DUSE_OS_TZDB=1 -include utility)
libs=(-lfmt -licuuc -licui18n -ldate-tz -lcsv)
common=(src/common/text.cc src/common/clock.cc src/common/error.cc)
declare -A sources=(
  [ledger]="tests/fuzz/ledger_fuzz.cc src/disaster/ledger.cc"
  [birth_date]="tests/fuzz/birth_date_fuzz.cc src/disaster/ledger.cc"
  [text]="tests/fuzz/text_fuzz.cc"
  [ingest]="tests/fuzz/ingest_fuzz.cc src/watch/readings.cc src/http/json_body.cc"
)
# Each source compiled once, two at a time; then each target linked from its objects.
object() { echo "$out/obj/${1//\//_}.o"; }
mkdir -p "$out/obj"
compiling=()
compiled=0
# shellcheck disable=SC2086
for source in $(printf '%s\n' ${sources[*]} "${common[@]}" | sort -u); do
  clang++-14 "${flags[@]}" -c "$source" -o "$(object "$source")" &
  compiling+=($!)
  if (( ${#compiling[@]} == 2 )); then
    wait "${compiling[0]}" || compiled=1
    compiling=("${compiling[@]:1}")
  fi
done
for pid in "${compiling[@]}"; do wait "$pid" || compiled=1; done
(( compiled == 0 )) || { echo "fuzz: the targets did not compile" >&2; exit 1; }
status=0
for target in ledger birth_date text ingest; do
  objects=()
  for source in ${sources[$target]} "${common[@]}"; do objects+=("$(object "$source")"); done
  clang++-14 -fsanitize=fuzzer "${sanitize[@]}" "${objects[@]}" "${libs[@]}" -o "$out/fuzz_$target"
  work="$out/corpus-$target"  # new inputs found go here, not into the repository
  rm -rf "$work" && mkdir -p "$work"
  echo "fuzz $target: ${seconds}s"
  if ! "$out/fuzz_$target" -max_total_time="$seconds" -seed="${FUZZ_SEED:-1}" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -artifact_prefix="$out/crash-$target-" -print_final_stats=1 "$work" "tests/fuzz/corpus/$target" \
      >"$out/$target.log" 2>&1; then
    echo "fuzz $target FAILED: see $out/$target.log and $out/crash-$target-*" >&2
    tail -40 "$out/$target.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$out/$target.log" | tail -2 | tr '\n' ' '
    echo
  fi
done
exit $status
