#!/usr/bin/env bash
# Data check: the importers on the real public files, in constant memory. CVE JSON 5 lines (gzip,
# 44,130 records) and the ATT&CK STIX 2.1 bundle (one 7.5 MB gzip JSON document, streamed).
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED_DATA="${SHARED_DATA:-../shared/data}"
nice -n 10 node --import tsx scripts/severity-importers-check.ts --data "$SHARED_DATA"
