#!/usr/bin/env bash
# Data check: the shipped ATT&CK technique model on its own report-level test split.
# Rebuilds the split from the shared TRAM + ATT&CK data (the hashes must match the
# manifest), runs the eval contract, and fails if the figures differ from the ones
# the manifest records (the shipped model must be the one that was measured).
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED_DATA="${SHARED_DATA:-../shared/data}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
nice -n 10 node --import tsx scripts/techniques-test-split.ts --data-dir "$SHARED_DATA" \
  --model models/techniques --out "$OUT"
for set in test-spans test-sentences; do
  nice -n 10 node --import tsx scripts/techniques-check.ts --model models/techniques \
    --data "$OUT/$set.jsonl" --metric "$set"
done
