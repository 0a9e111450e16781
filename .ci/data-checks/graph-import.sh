#!/usr/bin/env bash
# Data check: the knowledge graph on the full public data (scripts/check-graph-data.ts): imports ATT&CK,
# MISP galaxies, KEV and CVE mappings on SQLite and PostgreSQL, re-runs them (no change), checks alias
# merging, enrichment, FP-Growth suggestions and that the Cypher and STIX exports are well formed.
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED_DATA="${SHARED_DATA:-../shared/data}"
nice -n 10 node --import tsx scripts/check-graph-data.ts --data-dir "$SHARED_DATA" \
  --database-url "${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
