#!/usr/bin/env bash
# Installs what rarematch needs, builds it, and runs `rarematch run` on the bundled synthetic example.
# Usage: scripts/quickstart.sh [output folder, default results/synthetic-cohort]
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-results/synthetic-cohort}"
example=examples/synthetic-cohort

bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target rarematch

build/release/pipeline/rarematch run \
  --samplesheet "$example/samplesheet.csv" \
  --clinical "$example/clinical/data_clinical_patient.txt" \
  --clinical "$example/clinical/data_clinical_sample.txt" \
  --gff3 "$example/reference/genes.gff3" \
  --fasta "$example/reference/genome.fa" \
  --oncotree "$example/oncotree.json" \
  --catalogue "$example/trials.textproto" \
  --threads 2 \
  -o "$out"

echo
echo "Results are in $out/:"
echo "  $out/candidates.tsv   ranked trial arms per patient (one row per patient x arm)"
echo "  $out/candidates.json  the same with every criterion's value and evidence"
echo "  $out/summary.json     counts: inputs, records skipped by reason, patients with/without candidates"
echo "Compare with $example/README.md, which states what each patient should match and why."
