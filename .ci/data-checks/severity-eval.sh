#!/usr/bin/env bash
# Data check: the shipped severity model on the fixed test split of the public CVE records.
# Rebuilds the split, evaluates models/severity and fails unless the figures equal the ones
# recorded in models/severity/evaluation.json; then runs the eval CLI contract on the exported
# split (the last stdout line must be the JSON object of the contract).
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED_DATA="${SHARED_DATA:-../shared/data}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
nice -n 10 node --import tsx scripts/severity-check.ts --data "$SHARED_DATA" --model models/severity
nice -n 10 node --import tsx scripts/severity-export-split.ts --data "$SHARED_DATA" --split test --out "$OUT/test.jsonl"
nice -n 10 node bin/cyberstreams.js eval --task severity --data "$OUT/test.jsonl" --model models/severity | tail -n 1 |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);for(const k of ["n","accuracy","macroF1","perClass","confusion","ece","selective"])if(!(k in r))throw new Error("eval output lacks "+k);console.log("eval contract ok: n="+r.n+" accuracy="+r.fourClass.accuracy.toFixed(4)+" (4 classes)")})'
