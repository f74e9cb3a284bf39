#!/usr/bin/env bash
# CLI start-up next to the JVM's own: median wall time of repeated runs, with hyperfine when installed.
# Run from the repository root after './rampart --version' has built the jar and its start-up cache.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
java_bin="$(sed -n 2p cli/target/.rampart-java)"
runs="${RUNS:-20}"
commands=(
  "$java_bin -Xshare:auto -version"
  "./rampart --version"
  "./rampart scan -q --no-progress examples/models/clean/classifier.onnx"
  "./rampart scan -q --no-progress examples/models/malicious/reverse_shell.pkl"
)
if command -v hyperfine >/dev/null; then
  hyperfine -N -i --warmup 2 --runs "$runs" --export-markdown "${OUT:-/dev/stdout}" "${commands[@]}"
else
  for c in "${commands[@]}"; do
    times=()
    for ((i = 0; i < runs; i++)); do
      start=$(date +%s%N); $c >/dev/null 2>&1 || true; end=$(date +%s%N)
      times+=($(((end - start) / 1000000)))
    done
    printf '%s: median %s ms\n' "$c" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$((runs / 2 + 1))p")"
  done
fi
