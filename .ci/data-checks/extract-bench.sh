#!/usr/bin/env bash
# Data check: the extraction benchmark in its short mode (bench/extract/README.md).
# Needs ../shared/data/tram (SHARED_DATA points at the shared data folder).
# Prints the figures; fails only if OUR extractor crashes or stalls on a hostile
# input, never because ioc-extractor (the baseline) is slow or fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED_DATA="${SHARED_DATA:-../shared/data}"
nice -n 10 node --import tsx bench/extract/run.ts --short \
  --data "$SHARED_DATA/tram/annotated-reports.jsonl.gz"
