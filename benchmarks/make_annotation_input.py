#!/usr/bin/env python3
"""Writes a seeded, annotation-heavy VCF for benchmarks: N variants around the exons of a GFF3 (about half in coding
sequence), SNVs, small insertions and deletions, REF taken from the FASTA, one sample column carrying every call.

Usage: make_annotation_input.py GFF3 FASTA(.fai beside it; plain or bgzip via samtools faidx) N OUT.vcf [SEED]
The output is written for rarematch's benchmarks; it is synthetic, not patient data.
"""
import random
import subprocess
import sys


def read_exons(gff3):
    exons = []
    with open(gff3) as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 9 and fields[2] in ("exon", "CDS"):
                exons.append((fields[0], int(fields[3]), int(fields[4])))
    return exons


def fetch(fasta, contig, start, end):
    region = f"{contig}:{start}-{end}"
    out = subprocess.run(["samtools", "faidx", fasta, region], check=True, capture_output=True, text=True).stdout
    return "".join(out.splitlines()[1:]).upper()


def main():
    gff3, fasta, count, out_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    rng = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 20261125)
    exons = read_exons(gff3)
    lengths = {}
    with open(fasta + ".fai") as fai:
        for line in fai:
            name, length = line.split("\t")[:2]
            lengths[name] = int(length)
    sites = set()
    while len(sites) < count:
        contig, start, end = rng.choice(exons)
        position = rng.randint(max(2, start - 20), end + 20)
        sites.add((contig, position))
    order = {name: index for index, name in enumerate(lengths)}
    records = []
    windows = {}
    for contig, position in sorted(sites, key=lambda site: (order[site[0]], site[1])):
        block = position // 10000
        if (contig, block) not in windows:
            windows[(contig, block)] = fetch(fasta, contig, block * 10000 + 1, block * 10000 + 10020)
        bases = windows[(contig, block)]
        offset = position - block * 10000 - 1
        ref = bases[offset]
        if ref not in "ACGT":
            continue
        kind = rng.random()
        if kind < 0.7:
            alt = rng.choice([b for b in "ACGT" if b != ref])
            records.append((contig, position, ref, alt))
        elif kind < 0.85:
            records.append((contig, position, ref, ref + "".join(rng.choice("ACGT") for _ in range(rng.randint(1, 6)))))
        else:
            length = rng.randint(1, 6)
            deleted = bases[offset:offset + length + 1]
            if len(deleted) == length + 1 and all(b in "ACGT" for b in deleted):
                records.append((contig, position, deleted, ref))
    with open(out_path, "w") as out:
        out.write("##fileformat=VCFv4.2\n##source=rarematch benchmarks/make_annotation_input.py (synthetic)\n")
        out.write('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n')
        for name, length in lengths.items():
            out.write(f"##contig=<ID={name},length={length}>\n")
        out.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\n")
        for contig, position, ref, alt in records:
            out.write(f"{contig}\t{position}\t.\t{ref}\t{alt}\t.\tPASS\t.\tGT\t0/1\n")


if __name__ == "__main__":
    main()
