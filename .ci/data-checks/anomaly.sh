#!/usr/bin/env bash
# The shipped anomaly model on real data: unseen CVE descriptions of the test split score like training texts,
# random characters and cooking recipes score at the top (scripts/check-anomaly.ts).
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED_DATA="${SHARED_DATA:-../shared/data}" node --import tsx scripts/check-anomaly.ts \
  --data "${SHARED_DATA:-../shared/data}/cve/vulnrichment-cve5.jsonl.gz"
