#!/usr/bin/env bash
# Times `rarematch annotate` against `bcftools csq -l` on the same annotation-heavy input, one thread each,
# with hyperfine (medians of repeated runs). Uses ../shared/data/mini-grch38 when present, else the bundled example.
# Usage: benchmarks/annotate_vs_csq.sh [N variants, default 20000] [rarematch binary]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-20000}"
rarematch="${2:-build/release/pipeline/rarematch}"
for tool in bcftools samtools hyperfine python3; do
  command -v "$tool" >/dev/null || { echo "annotate_vs_csq: $tool is needed (apt-get install $tool)" >&2; exit 1; }
done
if [[ -d ../shared/data/mini-grch38 ]]; then
  gff3=../shared/data/mini-grch38/mini_grch38.gff3
  fasta=../shared/data/mini-grch38/mini_grch38.fa.gz
else
  gff3=examples/synthetic-cohort/reference/genes.gff3
  fasta=examples/synthetic-cohort/reference/genome.fa
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 benchmarks/make_annotation_input.py "$gff3" "$fasta" "$count" "$work/raw.vcf"
bcftools norm -f "$fasta" -Ov -o "$work/input.vcf" "$work/raw.vcf" 2>/dev/null
echo "input: $(grep -vc '^#' "$work/input.vcf") records around the exons of $gff3"
hyperfine --warmup 1 --runs 5 --export-markdown "$work/table.md" \
  -n "bcftools csq -l" "bcftools csq -l -f $fasta -g $gff3 --threads 0 -Ou -o /dev/null $work/input.vcf" \
  -n "rarematch annotate" "rm -rf $work/out && $rarematch annotate --quiet --threads 1 --vcf $work/input.vcf --gff3 $gff3 --fasta $fasta -o $work/out"
cat "$work/table.md"
