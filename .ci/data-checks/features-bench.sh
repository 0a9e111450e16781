#!/usr/bin/env bash
# Data check: the feature benchmark in its short mode (bench/features/README.md).
# Needs ../shared/data/cve (SHARED_DATA points at the shared data folder).
# Fails if fitting or featurizing throws, or if any vector of the real test
# split has a non-finite value or one outside its slot's documented range.
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED_DATA="${SHARED_DATA:-../shared/data}"
nice -n 10 node --import tsx bench/features/run.ts --short \
  --data "$SHARED_DATA/cve/vulnrichment-cve5.jsonl.gz"
