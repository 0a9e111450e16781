#!/usr/bin/env bash
# Data check: the shipped gate holdout (assets/learning/gate-holdout.jsonl.gz) is exactly what
# scripts/build-gate-holdout.ts builds from the public data (rebuilt into a temporary file and
# compared line by line after decompression). Needs ../shared/data/cve (SHARED_DATA).
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED_DATA="${SHARED_DATA:-../shared/data}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
nice -n 10 node --import tsx scripts/build-gate-holdout.ts --data "$SHARED_DATA" --out "$tmp/holdout.jsonl.gz"
if ! cmp -s <(gzip -dc assets/learning/gate-holdout.jsonl.gz) <(gzip -dc "$tmp/holdout.jsonl.gz"); then
  echo "assets/learning/gate-holdout.jsonl.gz differs from a fresh build: run scripts/build-gate-holdout.ts" >&2
  exit 1
fi
echo "gate holdout matches a fresh build ($(gzip -dc "$tmp/holdout.jsonl.gz" | wc -l) lines)"
