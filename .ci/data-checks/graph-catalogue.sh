#!/usr/bin/env bash
# Data check: the shipped graph catalogue (assets/graph-catalogue.*) is exactly what
# scripts/build-graph-catalogue.ts builds from the public data: rebuilt into a temporary
# directory and compared byte for byte, so the committed file is current and reproducible.
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED_DATA="${SHARED_DATA:-../shared/data}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
nice -n 10 node --import tsx scripts/build-graph-catalogue.ts --data-dir "$SHARED_DATA" --out-dir "$out"
for f in graph-catalogue.json.gz graph-catalogue.meta.json; do
  if ! cmp -s "$out/$f" "assets/$f"; then
    echo "graph-catalogue: assets/$f differs from a rebuild (run npm run build:graph-catalogue and commit)" >&2
    exit 1
  fi
done
echo "graph-catalogue: assets/graph-catalogue.* match a rebuild from $SHARED_DATA"
