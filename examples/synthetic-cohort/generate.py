#!/usr/bin/env python3
"""Generate the rarematch synthetic-cohort example (SYNTHETIC: not real patients, trials or sequence).

Everything this script writes is invented for rarematch: a small random genome with eight genes named like real
cancer genes (real protein lengths, real reference amino acids at the residues trials name), 22 fictional
patients with tumour VCFs, cBioPortal-style clinical files, a samplesheet and a small OncoTree tree.
The trial catalogue (trials.textproto), README.md and expected.tsv are written by hand next to it.

Usage:  python3 generate.py          (stdlib only; fixed seed; re-running reproduces every file byte for byte)

Outputs (relative to this folder):
  reference/genome.fa, reference/genome.fa.fai, reference/genes.gff3
  vcf/*.vcf, vcf/*.vcf.gz (BGZF written here with zlib, readable by htslib/bgzip)
  clinical/data_clinical_patient.txt, clinical/data_clinical_sample.txt
  samplesheet.csv, oncotree.json, variants.tsv (truth table of every VCF record's canonical annotation)

The script checks itself and stops with an AssertionError when a check fails: every CDS starts with ATG, ends with
a stop codon and has no internal stop; every intron is GT...AG; named residues encode the expected amino acid;
every SNV changes its codon to the expected (different, non-stop) amino acid; deletions are left-aligned and not
shiftable; intronic variants lie > 20 bp from every exon of the canonical transcript; every VCF REF equals the
FASTA as written (read back from disk); records are sorted.
"""

import json
import random
import struct
import zlib
from pathlib import Path

SEED = 20261101
HERE = Path(__file__).resolve().parent
FASTA_WIDTH = 60
GFF_SOURCE = "rarematch_synthetic"

# ----------------------------------------------------------------------------------------------------------------
# Sequence helpers
# ----------------------------------------------------------------------------------------------------------------

_COMPLEMENT = str.maketrans("ACGT", "TGCA")


def revcomp(seq):
    return seq.translate(_COMPLEMENT)[::-1]


_BASES_TCAG = "TCAG"
_AA_TCAG = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"
CODON = {a + b + c: _AA_TCAG[16 * i + 4 * j + k]
         for i, a in enumerate(_BASES_TCAG) for j, b in enumerate(_BASES_TCAG) for k, c in enumerate(_BASES_TCAG)}
SENSE_CODONS = sorted(c for c, aa in CODON.items() if aa != "*")
STOP_CODONS = ["TAA", "TAG", "TGA"]
THREE = {"A": "Ala", "R": "Arg", "N": "Asn", "D": "Asp", "C": "Cys", "Q": "Gln", "E": "Glu", "G": "Gly",
         "H": "His", "I": "Ile", "L": "Leu", "K": "Lys", "M": "Met", "F": "Phe", "P": "Pro", "S": "Ser",
         "T": "Thr", "W": "Trp", "Y": "Tyr", "V": "Val", "*": "Ter"}


def translate(seq):
    return "".join(CODON[seq[i:i + 3]] for i in range(0, len(seq) - len(seq) % 3, 3))


def random_seq(rng, n):
    return "".join(rng.choice("ACGT") for _ in range(n))


# ----------------------------------------------------------------------------------------------------------------
# Gene models. Exon numbers count every exon of the canonical transcript (a non-coding first exon included);
# `fixed` pins the CDS range (c. coordinates, 1-based inclusive) of some exons, the others are split at random.
# `forced` pins codons so that the residues trials and this README name carry the real reference amino acid.
# ----------------------------------------------------------------------------------------------------------------

GENES = [
    dict(name="NTRK1", number=1, contig="chr1", strand="+", aa=796, exons=17, fixed={},
         utr5=150, utr3=500, forced={595: "GGG"}),
    dict(name="KIT", number=2, contig="chr4", strand="+", aa=976, exons=21,
         fixed={11: (1648, 1830), 17: (2362, 2484)}, utr5=100, utr3=300, forced={560: "GTT", 816: "GAC"}),
    dict(name="EGFR", number=3, contig="chr7", strand="+", aa=1210, exons=28,
         fixed={18: (2062, 2184), 19: (2185, 2283), 20: (2284, 2469), 21: (2470, 2625)}, utr5=150, utr3=450,
         forced={719: "GGC", 745: "AAA", 746: "GAG", 747: "CTG", 748: "CGT", 749: "GAG", 750: "GCC", 751: "ACC",
                 790: "ACG", 858: "CTG"}),
    dict(name="BRAF", number=4, contig="chr7", strand="-", aa=766, exons=18, fixed={15: (1742, 1860)},
         utr5=130, utr3=350, forced={600: "GTG"}),
    dict(name="KRAS", number=5, contig="chr12", strand="-", aa=189, exons=5,
         fixed={2: (1, 111), 3: (112, 290), 4: (291, 450), 5: (451, 570)},
         noncoding_first=(70, 10), utr3=400, forced={12: "GGT"}),
    dict(name="BRCA2", number=6, contig="chr13", strand="+", aa=3418, exons=27, fixed={11: (1910, 6841)},
         noncoding_first=(100, 40), utr3=500, forced={1982: "AGC", 1983: "AAT"}),
    dict(name="TP53", number=7, contig="chr17", strand="-", aa=393, exons=11,
         fixed={5: (376, 559), 8: (783, 918)}, noncoding_first=(90, 30), utr3=500,
         forced={175: "CGC", 273: "CGT"}),
    dict(name="ERBB2", number=8, contig="chr17", strand="+", aa=1255, exons=27, fixed={8: (890, 1010)},
         utr5=120, utr3=400, forced={310: "TCC"}, intron_lengths={8: 900},
         # ERBB2-202: exons 1-8 of ERBB2-201, then an alternative last exon inside intron 8 (a shorter protein).
         alt_terminal=dict(after_exon=8, offset=350, codons=40, utr3=160)),
]

# Contig layout: flank lengths (random sequence) and genes, in order. Genes are placed as written.
CONTIGS = [
    ("chr1", [4000, "NTRK1", 4000]),
    ("chr4", [4000, "KIT", 4000]),
    ("chr7", [4000, "EGFR", 6000, "BRAF", 4000]),
    ("chr12", [8000, "KRAS", 3000]),
    ("chr13", [3000, "BRCA2", 3000]),
    ("chr17", [4000, "TP53", 5000, "ERBB2", 4000]),
]


def split_range(rng, start, end, n, min_len=45):
    """Splits the closed range [start, end] into n consecutive closed ranges of random length >= min_len."""
    total = end - start + 1
    weights = [rng.uniform(0.6, 1.4) for _ in range(n)]
    lengths = [max(min_len, round(total * w / sum(weights))) for w in weights[:-1]]
    lengths.append(total - sum(lengths))
    assert all(length >= min_len for length in lengths), (start, end, n, lengths)
    ranges, pos = [], start
    for length in lengths:
        ranges.append((pos, pos + length - 1))
        pos += length
    assert pos == end + 1
    return ranges


def cds_ranges(spec, rng, cds_len):
    """CDS range (c. coordinates) of every coding exon, keyed by exon number."""
    first_coding = 2 if "noncoding_first" in spec else 1
    coding = list(range(first_coding, spec["exons"] + 1))
    fixed = spec["fixed"]
    ranges = dict(fixed)
    pending, cursor = [], 1
    for exon in coding + [None]:
        if exon is None or exon in fixed:
            stop = cds_len if exon is None else fixed[exon][0] - 1
            if pending:
                for k, r in zip(pending, split_range(rng, cursor, stop, len(pending))):
                    ranges[k] = r
            else:
                assert cursor == stop + 1, (spec["name"], exon)
            if exon is not None:
                cursor = fixed[exon][1] + 1
            pending = []
        else:
            pending.append(exon)
    # Contiguous cover of c.1 .. c.cds_len.
    pos = 1
    for k in coding:
        assert ranges[k][0] == pos, (spec["name"], k, ranges[k], pos)
        pos = ranges[k][1] + 1
    assert pos == cds_len + 1
    return ranges


class Transcript:
    """A transcript in gene coordinates t (0-based offsets along the pre-mRNA, 5' to 3')."""

    def __init__(self, tid, name, tags, exons, cds_t):
        self.id = tid            # e.g. ENSTSYN00000000003
        self.name = name         # e.g. EGFR-201
        self.tags = tags         # e.g. "basic,Ensembl_canonical"
        self.exons = exons       # [(t_start, t_end)] inclusive, transcript order
        self.cds_t = cds_t       # t offset of every CDS base, in c. order (stop codon included)


def build_gene(spec, rng):
    name = spec["name"]
    cds_len = 3 * (spec["aa"] + 1)
    codons = ["ATG"] + [rng.choice(SENSE_CODONS) for _ in range(spec["aa"] - 1)] + [rng.choice(STOP_CODONS)]
    for residue, codon in spec["forced"].items():
        codons[residue - 1] = codon
    cds = "".join(codons)
    protein = translate(cds)
    assert cds.startswith("ATG") and protein.endswith("*") and "*" not in protein[:-1], name
    assert len(protein) == spec["aa"] + 1

    ranges = cds_ranges(spec, rng, cds_len)
    n = spec["exons"]
    first_coding = 2 if "noncoding_first" in spec else 1
    exon_seqs, exon_cds_offset = [], []  # offset of the first CDS base within the exon (None if non-coding)
    for k in range(1, n + 1):
        if k < first_coding:
            exon_seqs.append(random_seq(rng, spec["noncoding_first"][0]))
            exon_cds_offset.append(None)
            continue
        cs, ce = ranges[k]
        utr5 = ""
        if k == first_coding:
            utr5 = random_seq(rng, spec["noncoding_first"][1] if "noncoding_first" in spec else spec["utr5"])
        utr3 = random_seq(rng, spec["utr3"]) if k == n else ""
        exon_seqs.append(utr5 + cds[cs - 1:ce] + utr3)
        exon_cds_offset.append(len(utr5))
    introns = []
    for k in range(1, n):
        length = spec.get("intron_lengths", {}).get(k, rng.randint(80, 300))
        introns.append("GT" + random_seq(rng, length - 4) + "AG")

    # Alternative terminal exon inside an intron (ERBB2-202).
    alt = spec.get("alt_terminal")
    alt_info = None
    if alt:
        k = alt["after_exon"]
        c_before = ranges[k][1]                       # CDS bases before the alternative exon
        partial = cds[c_before - c_before % 3:c_before]
        while True:
            completion = random_seq(rng, (3 - len(partial)) % 3)
            if CODON.get(partial + completion, "*") != "*" or not (partial + completion):
                break
        alt_cds = completion + "".join(rng.choice(SENSE_CODONS) for _ in range(alt["codons"])) + \
            rng.choice(STOP_CODONS)
        alt_seq = alt_cds + random_seq(rng, alt["utr3"])
        intron = introns[k - 1]
        off = alt["offset"]
        assert off >= 40 and off + len(alt_seq) + 40 <= len(intron), "alternative exon must sit inside the intron"
        introns[k - 1] = intron[:off - 2] + "AG" + alt_seq + intron[off + len(alt_seq):]
        assert len(introns[k - 1]) == len(intron)
        alt_info = dict(after_exon=k, offset=off, seq=alt_seq, cds_len=len(alt_cds), c_before=c_before)

    # Assemble the pre-mRNA and the canonical transcript in t coordinates.
    pre, exons_t, intron_t, cds_t = "", [], [], []
    for k in range(1, n + 1):
        start = len(pre)
        pre += exon_seqs[k - 1]
        exons_t.append((start, len(pre) - 1))
        if exon_cds_offset[k - 1] is not None:
            cs, ce = ranges[k]
            first = start + exon_cds_offset[k - 1]
            cds_t.extend(range(first, first + ce - cs + 1))
        if k < n:
            istart = len(pre)
            pre += introns[k - 1]
            intron_t.append((istart, len(pre) - 1))
    assert "".join(pre[t] for t in cds_t) == cds
    gene_no = spec["number"]
    canonical = Transcript(f"ENSTSYN{gene_no:011d}", f"{name}-201", "basic,Ensembl_canonical", exons_t, cds_t)
    transcripts = [canonical]
    if alt_info:
        k = alt_info["after_exon"]
        a_start = intron_t[k - 1][0] + alt_info["offset"]
        a_exon = (a_start, a_start + len(alt_info["seq"]) - 1)
        alt_cds_t = cds_t[:alt_info["c_before"]] + list(range(a_start, a_start + alt_info["cds_len"]))
        t202 = Transcript(f"ENSTSYN{100 + gene_no:011d}", f"{name}-202", "basic", exons_t[:k] + [a_exon],
                          alt_cds_t)
        alt_cds_seq = "".join(pre[t] for t in alt_cds_t)
        alt_protein = translate(alt_cds_seq)
        assert len(alt_cds_seq) % 3 == 0 and alt_cds_seq.startswith("ATG"), name
        assert alt_protein.endswith("*") and "*" not in alt_protein[:-1], name
        assert len(alt_cds_seq) < len(cds)
        transcripts.append(t202)
    return dict(spec=spec, name=name, pre=pre, cds=cds, protein=protein, ranges=ranges, intron_t=intron_t,
                transcripts=transcripts, canonical=canonical)


class Placed:
    """A gene placed on a contig: maps gene coordinates t to 1-based genomic positions."""

    def __init__(self, gene, contig, gstart):
        self.gene, self.contig, self.gstart = gene, contig, gstart
        self.length = len(gene["pre"])
        self.strand = gene["spec"]["strand"]

    def g(self, t):
        return self.gstart + t if self.strand == "+" else self.gstart + self.length - 1 - t

    def span(self, t0, t1):
        a, b = self.g(t0), self.g(t1)
        return (min(a, b), max(a, b))


def build_genome(rng):
    genes = {spec["name"]: build_gene(spec, rng) for spec in GENES}
    contigs, placed = {}, {}
    for contig, layout in CONTIGS:
        seq = ""
        for item in layout:
            if isinstance(item, int):
                seq += random_seq(rng, item)
            else:
                gene = genes[item]
                placed[item] = Placed(gene, contig, len(seq) + 1)
                seq += gene["pre"] if gene["spec"]["strand"] == "+" else revcomp(gene["pre"])
        contigs[contig] = seq
    return contigs, placed


# ----------------------------------------------------------------------------------------------------------------
# Genome and gene-model checks
# ----------------------------------------------------------------------------------------------------------------

def check_gene(p, contigs):
    gene, seq = p.gene, contigs[p.contig]

    def base(t):
        b = seq[p.g(t) - 1]
        return b if p.strand == "+" else revcomp(b)

    for tr in gene["transcripts"]:
        cds = "".join(base(t) for t in tr.cds_t)
        prot = translate(cds)
        assert len(cds) % 3 == 0 and cds.startswith("ATG"), tr.name
        assert prot.endswith("*") and "*" not in prot[:-1], tr.name
        for (a0, a1), (b0, b1) in zip(tr.exons, tr.exons[1:]):
            assert base(a1 + 1) + base(a1 + 2) == "GT", (tr.name, "donor")
            assert base(b0 - 2) + base(b0 - 1) == "AG", (tr.name, "acceptor")
    can = gene["canonical"]
    assert "".join(base(t) for t in can.cds_t) == gene["cds"]
    assert len(gene["protein"]) - 1 == gene["spec"]["aa"]
    for residue, codon in gene["spec"]["forced"].items():
        assert gene["cds"][3 * residue - 3:3 * residue] == codon


# ----------------------------------------------------------------------------------------------------------------
# Variants: defined on the canonical transcript, placed on the genome, checked, described in HGVS.
# ----------------------------------------------------------------------------------------------------------------

VARIANTS = [
    # key, gene, kind, parameters
    ("NTRK1_G595R", "NTRK1", "snv", dict(c=1783, ref="G", alt="A", aa=(595, "G", "R"))),
    ("KIT_V560D", "KIT", "snv", dict(c=1679, ref="T", alt="A", aa=(560, "V", "D"))),
    ("KIT_D816V", "KIT", "snv", dict(c=2447, ref="A", alt="T", aa=(816, "D", "V"))),
    ("EGFR_G719S", "EGFR", "snv", dict(c=2155, ref="G", alt="A", aa=(719, "G", "S"))),
    ("EGFR_E746_A750del", "EGFR", "del", dict(c=(2236, 2250), aa=(746, 750, "ELREA"))),
    ("EGFR_T790M", "EGFR", "snv", dict(c=2369, ref="C", alt="T", aa=(790, "T", "M"))),
    ("EGFR_L858R", "EGFR", "snv", dict(c=2573, ref="T", alt="G", aa=(858, "L", "R"))),
    ("EGFR_intron10", "EGFR", "intron", dict(intron=10)),
    ("EGFR_utr3", "EGFR", "utr3", dict(n=150)),
    ("BRAF_intron10", "BRAF", "intron", dict(intron=10)),
    ("BRAF_V600E", "BRAF", "snv", dict(c=1799, ref="T", alt="A", aa=(600, "V", "E"))),
    ("KRAS_intron3", "KRAS", "intron", dict(intron=3)),
    ("KRAS_G12D", "KRAS", "snv", dict(c=35, ref="G", alt="A", aa=(12, "G", "D"))),
    ("chr12_intergenic", None, "intergenic", dict(contig="chr12", pos=2000)),
    ("BRCA2_splice_donor", "BRCA2", "donor", dict(intron=5)),
    ("BRCA2_S1982fs", "BRCA2", "del", dict(c=(5946, 5946))),
    ("TP53_R175H", "TP53", "snv", dict(c=524, ref="G", alt="A", aa=(175, "R", "H"))),
    ("TP53_R273H", "TP53", "snv", dict(c=818, ref="G", alt="A", aa=(273, "R", "H"))),
    ("ERBB2_S310F", "ERBB2", "snv", dict(c=929, ref="C", alt="T", aa=(310, "S", "F"))),
    ("ERBB2_intron8_alt_exon", "ERBB2", "alt_exon", dict(codon=20)),
]

TRANSITION = {"A": "G", "G": "A", "C": "T", "T": "C"}


def c_of_t(gene, tr, t):
    """HGVS c. coordinate (string) of an exonic t position of transcript tr."""
    cds_t = tr.cds_t
    if cds_t[0] <= t <= cds_t[-1]:
        return str(cds_t.index(t) + 1)
    # UTR: count exonic bases between t and the CDS start or end.
    exonic = [x for a, b in tr.exons for x in range(a, b + 1)]
    i = exonic.index(t)
    if t < cds_t[0]:
        return f"-{exonic.index(cds_t[0]) - i}"
    return f"*{i - exonic.index(cds_t[-1])}"


def place_variant(key, gene_name, kind, prm, contigs, placed):
    """Returns a dict describing the variant: contig, pos, ref, alt (VCF style) and its canonical annotation."""
    out = dict(key=key, gene=gene_name or "", transcript="", consequence="", hgvs_c="", hgvs_p="",
               exon="", intron="", strand="", note="")
    if kind == "intergenic":
        seq = contigs[prm["contig"]]
        pos = prm["pos"]
        ref = seq[pos - 1]
        for p in placed.values():
            if p.contig == prm["contig"]:
                lo, hi = p.span(0, p.length - 1)
                assert pos < lo - 5000 or pos > hi + 5000, "intergenic variant must be > 5 kb from genes"
        out.update(contig=prm["contig"], pos=pos, ref=ref, alt=TRANSITION[ref], consequence="intergenic_variant")
        return out

    p = placed[gene_name]
    gene, seq = p.gene, contigs[p.contig]
    tr = gene["canonical"]
    cds = gene["cds"]
    nex = len(tr.exons)
    out.update(contig=p.contig, strand=p.strand, transcript=tr.id)

    def gbase(pos):
        return seq[pos - 1]

    def tx(b):  # genomic base -> transcript-strand base
        return b if p.strand == "+" else revcomp(b)

    def exon_of_t(t):
        for i, (a, b) in enumerate(tr.exons, 1):
            if a <= t <= b:
                return i
        return None

    if kind == "snv":
        c = prm["c"]
        t = tr.cds_t[c - 1]
        pos = p.g(t)
        assert tx(gbase(pos)) == prm["ref"] == cds[c - 1], (key, "ref base")
        residue, ref_aa, alt_aa = prm["aa"]
        assert (c - 1) // 3 + 1 == residue, key
        codon = cds[3 * residue - 3:3 * residue]
        i = (c - 1) % 3
        new = codon[:i] + prm["alt"] + codon[i + 1:]
        assert CODON[codon] == ref_aa and CODON[new] == alt_aa, (key, codon, new)
        assert ref_aa != alt_aa and alt_aa != "*", (key, "must be missense")
        out.update(pos=pos, ref=gbase(pos), alt=prm["alt"] if p.strand == "+" else revcomp(prm["alt"]),
                   consequence="missense_variant", hgvs_c=f"c.{c}{prm['ref']}>{prm['alt']}",
                   hgvs_p=f"p.{THREE[ref_aa]}{residue}{THREE[alt_aa]}", exon=f"{exon_of_t(t)}/{nex}",
                   note=f"codon {codon}>{new}; p.{ref_aa}{residue}{alt_aa}")
        return out

    if kind == "del":
        cs, ce = prm["c"]
        assert exon_of_t(tr.cds_t[cs - 1]) == exon_of_t(tr.cds_t[ce - 1]), (key, "deletion within one exon")
        lo, hi = p.span(tr.cds_t[cs - 1], tr.cds_t[ce - 1])
        assert hi - lo == ce - cs
        # Left-aligned and unique: cannot shift left or right on the genome.
        assert gbase(lo - 1) != gbase(hi), (key, "left-shiftable")
        assert gbase(hi + 1) != gbase(lo), (key, "right-shiftable")
        exon = exon_of_t(tr.cds_t[cs - 1])
        out.update(pos=lo - 1, ref=seq[lo - 2:hi], alt=gbase(lo - 1), exon=f"{exon}/{nex}")
        length = ce - cs + 1
        hgvs_c = f"c.{cs}del" if cs == ce else f"c.{cs}_{ce}del"
        if length % 3 == 0:
            assert cs % 3 == 1, (key, "codon-aligned in-frame deletion")
            r0, r1, aas = prm["aa"]
            prot = gene["protein"]
            assert prot[r0 - 1:r1] == aas, (key, prot[r0 - 1:r1])
            assert prot[r1] != prot[r0 - 1] and prot[r0 - 2] != prot[r1 - 1], (key, "protein 3' shift")
            out.update(consequence="inframe_deletion", hgvs_c=hgvs_c,
                       hgvs_p=f"p.{THREE[aas[0]]}{r0}_{THREE[aas[-1]]}{r1}del",
                       note=f"p.{aas[0]}{r0}_{aas[-1]}{r1}del")
        else:
            # Frameshift: translate the mutated coding sequence (with the 3' UTR after it) to the new stop.
            exonic = [x for a, b in tr.exons for x in range(a, b + 1)]
            start_i = exonic.index(tr.cds_t[0])
            tseq = "".join(gene["pre"][x] for x in exonic[start_i:])
            mut = tseq[:cs - 1] + tseq[ce:]
            old, new = translate(tseq), translate(mut)
            first = next(i for i in range(len(old)) if old[i] != new[i])
            stop = new.index("*", first)
            assert stop > first and stop < len(cds) // 3, (key, "frameshift must not be a nonsense change")
            n_ter = stop - first + 1
            pos_aa = first + 1
            out.update(consequence="frameshift_variant", hgvs_c=hgvs_c,
                       hgvs_p=f"p.{THREE[old[first]]}{pos_aa}{THREE[new[first]]}fsTer{n_ter}",
                       note=f"p.{old[first]}{pos_aa}{new[first]}fs*{n_ter}")
        return out

    if kind in ("intron", "donor"):
        k = prm["intron"]
        a, b = tr.exons[k - 1][1] + 1, tr.exons[k][0] - 1          # intron k in t coordinates
        if kind == "donor":
            t = a
            d = 1
            assert tx(gbase(p.g(t))) == "G"
            alt_tx = "A"
            cons = "splice_donor_variant"
            hgvs_c = f"c.{c_of_t(gene, tr, a - 1)}+1G>A"
        else:
            t = (a + b) // 2
            assert t - a >= 20 and b - t >= 20, (key, "deep intronic")
            ref_tx = tx(gbase(p.g(t)))
            alt_tx = TRANSITION[ref_tx]
            cons = "intron_variant"
            d5, d3 = t - a + 1, b - t + 1
            if d5 <= d3:
                hgvs_c = f"c.{c_of_t(gene, tr, a - 1)}+{d5}{ref_tx}>{alt_tx}"
            else:
                hgvs_c = f"c.{c_of_t(gene, tr, b + 1)}-{d3}{ref_tx}>{alt_tx}"
        # Every exon of every transcript is at least 20 bp away (deep intronic), except the donor case.
        if kind == "intron":
            for other in gene["transcripts"]:
                for e0, e1 in other.exons:
                    assert t < e0 - 20 or t > e1 + 20, (key, other.name)
        pos = p.g(t)
        out.update(pos=pos, ref=gbase(pos), alt=alt_tx if p.strand == "+" else revcomp(alt_tx),
                   consequence=cons, hgvs_c=hgvs_c, intron=f"{k}/{nex - 1}")
        return out

    if kind == "utr3":
        exonic = [x for a, b in tr.exons for x in range(a, b + 1)]
        i = exonic.index(tr.cds_t[-1]) + prm["n"]
        t = exonic[i]
        assert len(exonic) - 1 - i >= 20
        ref_tx = tx(gbase(p.g(t)))
        alt_tx = TRANSITION[ref_tx]
        pos = p.g(t)
        out.update(pos=pos, ref=gbase(pos), alt=alt_tx if p.strand == "+" else revcomp(alt_tx),
                   consequence="3_prime_UTR_variant", hgvs_c=f"c.*{prm['n']}{ref_tx}>{alt_tx}",
                   exon=f"{exon_of_t(t)}/{nex}")
        return out

    if kind == "alt_exon":
        alt_tr = gene["transcripts"][1]
        k = gene["spec"]["alt_terminal"]["after_exon"]
        c_before = gene["ranges"][k][1]
        # Codon prm["codon"] of the alternative exon's own coding part (after the completed split codon).
        completion = (3 - c_before % 3) % 3
        c_alt = c_before + completion + 3 * (prm["codon"] - 1) + 2   # 2nd base of that codon (always changes aa)
        t = alt_tr.cds_t[c_alt - 1]
        alt_cds = "".join(gene["pre"][x] for x in alt_tr.cds_t)
        residue = (c_alt - 1) // 3 + 1
        codon = alt_cds[3 * residue - 3:3 * residue]
        ref_tx = codon[1]
        alt_tx = next(b for b in "ACGT" if b != ref_tx and CODON[codon[0] + b + codon[2]] != "*")
        new = codon[0] + alt_tx + codon[2]
        assert CODON[new] not in (CODON[codon], "*")
        a, b = tr.exons[k - 1][1] + 1, tr.exons[k][0] - 1
        assert a + 20 < t < b - 20, (key, "deep in the canonical intron")
        for e0, e1 in tr.exons:
            assert t < e0 - 20 or t > e1 + 20
        d5, d3 = t - a + 1, b - t + 1
        ref_g = gbase(p.g(t))
        assert tx(ref_g) == ref_tx
        hgvs_c = (f"c.{c_of_t(gene, tr, a - 1)}+{d5}{ref_tx}>{alt_tx}" if d5 <= d3
                  else f"c.{c_of_t(gene, tr, b + 1)}-{d3}{ref_tx}>{alt_tx}")
        aa0, aa1 = CODON[codon], CODON[new]
        out.update(pos=p.g(t), ref=ref_g, alt=alt_tx if p.strand == "+" else revcomp(alt_tx),
                   consequence="intron_variant", hgvs_c=hgvs_c, intron=f"{k}/{nex - 1}",
                   note=(f"non-canonical {alt_tr.name} ({alt_tr.id}): missense c.{c_alt}{ref_tx}>{alt_tx} "
                         f"p.{THREE[aa0]}{residue}{THREE[aa1]} in its last exon"))
        return out

    raise ValueError(kind)


# ----------------------------------------------------------------------------------------------------------------
# Cohort: patients, samples, calls, VCF files
# ----------------------------------------------------------------------------------------------------------------

# Patient-level clinical data: AGE (years), SEX, ECOG, PRIOR_THERAPIES. None = NA (missing).
PATIENTS = [
    # id,   age,  sex,      ecog, prior therapies
    ("P01", 63, "Female", 0, "carboplatin;pemetrexed"),
    ("P02", 58, "Male", 1, None),
    ("P03", 71, "Male", 1, "carboplatin;paclitaxel;erlotinib"),
    ("P04", None, "Female", 0, "cisplatin;pemetrexed"),
    ("P05", 49, "Male", 0, "nivolumab"),
    ("P06", 55, "Female", 1, "FOLFOX"),
    ("P07", 67, "Male", 0, "FOLFOX;bevacizumab"),
    ("P08", 44, "Female", 0, "FOLFIRI"),
    ("P09", 61, "Male", 1, "imatinib;sunitinib"),
    ("P10", 72, "Female", 2, "azacitidine"),
    ("P11", 52, "Male", 0, None),
    ("P12", 47, "Female", 0, "doxorubicin;cyclophosphamide;paclitaxel"),
    ("P13", 59, "Female", 1, "carboplatin;paclitaxel"),
    ("P14", 66, "Male", 1, "FOLFIRINOX"),
    ("P15", 17, "Female", 0, None),
    ("P16", 68, "Male", 1, "carboplatin;pemetrexed;pembrolizumab"),
    ("P17", 70, "Male", 0, "FOLFOX"),
    ("P18", 55, "Female", 3, "osimertinib"),
    ("P19", 62, "Male", 1, "tamoxifen"),
    ("P20", 60, "Male", 1, "carboplatin;pemetrexed"),
    ("P21", 74, "Male", 1, "carboplatin;gemcitabine"),
    ("P22", 80, "Female", 1, "gemcitabine;nab-paclitaxel"),
]

# Samples: patient, sample, ONCOTREE_CODE, TMB (mut/Mb), MSI_STATUS, VCF file, VCF column, assay ("" = calls only).
# None = NA. The samples of one patient repeat the same diagnosis, TMB and MSI.
SAMPLES = [
    ("P01", "P01-T", "LUAD", 3.1, "MSS", "vcf/P01-T.vcf", "P01-T", "WES"),
    ("P02", "P02-T", "LUAD", 2.4, "MSS", "vcf/P02-T.vcf.gz", "P02-T", "WES"),
    ("P03", "P03-T", "NSCLC", 7.5, "MSS", "vcf/P03-T.vcf", "P03-T", ""),
    ("P04", "P04-T", "LUAD", 5.0, "MSS", "vcf/P04-T.vcf", "P04-T", "WES"),
    ("P05", "P05-M1", "SKCM", 14.5, "MSS", "vcf/P05-M1.vcf.gz", "P05-M1", "WES"),
    ("P05", "P05-T1", "SKCM", 14.5, "MSS", "vcf/P05-T1.vcf", "P05-T1", "WES"),
    ("P06", "P06-T", "COAD", 4.8, "MSS", "vcf/P06-T.tumor_normal.vcf.gz", "TUMOR", "WES"),
    ("P07", "P07-T", "COAD", 6.0, "MSS", "vcf/P07-T.vcf", "P07-T", "WES"),
    ("P08", "P08-T", "READ", 38.0, "MSI-H", "vcf/P08-T.vcf", "P08-T", ""),
    ("P09", "P09-T", "GIST", 1.2, "MSS", "vcf/P09-T.vcf", "P09-T", "WES"),
    ("P10", "P10-T", "AML", None, None, "vcf/P10-T.vcf", "P10-T", "WES"),
    ("P11", "P11-T", None, 8.0, "MSS", "vcf/P11-T.vcf", "P11-T", "WES"),
    ("P12", "P12-T", "IDC", 3.3, "MSS", "vcf/P12_P13_P19.multisample.vcf.gz", "P12-T", "WES"),
    ("P13", "P13-T", "HGSOC", 4.1, "MSS", "vcf/P12_P13_P19.multisample.vcf.gz", "P13-T", ""),
    ("P14", "P14-T", "PAAD", 2.0, "MSS", "vcf/P14-T.vcf", "P14-T", "WES"),
    ("P15", "P15-T", "SKCM", 12.0, "MSS", "vcf/P15-T.vcf", "P15-T", "WES"),
    ("P16", "P16-T", "LUAD", 10.0, "MSS", "vcf/P16-T.vcf", "P16-T", "WES"),
    ("P17", "P17-M1", "COAD", None, None, "vcf/P17-M1.vcf", "P17-M1", "WES"),
    ("P17", "P17-T1", "COAD", None, None, "vcf/P17-T1.vcf", "P17-T1", "WES"),
    ("P18", "P18-T", "LUAD", 2.2, "MSS", "vcf/P18-T.vcf", "P18-T", "WES"),
    ("P19", "P19-T", "IDC", 4.0, "MSS", "vcf/P12_P13_P19.multisample.vcf.gz", "P19-T", "WES"),
    ("P20", "P20-T", "LUAD", None, "MSS", "vcf/P20-T.vcf", "P20-T", ""),
    ("P21", "P21-T", "LUSC", 9.9, "MSS", "vcf/P21-T.vcf", "P21-T", "WES"),
    ("P22", "P22-T", "PAAD", 1.5, "MSS", "vcf/P22-T.vcf", "P22-T", "WES"),
]

# Calls per sample: (variant key, FILTER). Optional third item: (alt reads, depth).
CALLS = {
    "P01-T": [("EGFR_L858R", "PASS"), ("TP53_R273H", "PASS")],
    "P02-T": [("EGFR_E746_A750del", "PASS", (15, 250))],          # low VAF (0.06): no VAF threshold by default
    "P03-T": [("EGFR_T790M", "PASS"), ("EGFR_L858R", "PASS")],
    "P04-T": [("EGFR_intron10", "PASS"), ("EGFR_G719S", "PASS")],
    "P05-T1": [("BRAF_V600E", "PASS")],
    "P05-M1": [("NTRK1_G595R", "PASS"), ("BRAF_V600E", "LowQual", (2, 9))],
    "P06-T": [("KRAS_G12D", "PASS"), ("TP53_R175H", "PASS")],
    "P07-T": [("EGFR_G719S", "PASS"), ("KRAS_intron3", "PASS")],
    "P08-T": [("chr12_intergenic", "PASS"), ("TP53_R175H", "PASS")],
    "P09-T": [("KIT_V560D", "PASS")],
    "P10-T": [("KIT_D816V", "PASS")],
    "P11-T": [("BRAF_V600E", "PASS")],
    "P12-T": [("BRCA2_S1982fs", "PASS")],
    "P13-T": [("EGFR_G719S", "PASS"), ("BRCA2_splice_donor", "PASS")],
    "P14-T": [("KRAS_G12D", "PASS"), ("BRCA2_S1982fs", "LowQual", (3, 11))],
    "P15-T": [("BRAF_V600E", "PASS")],
    "P16-T": [("EGFR_utr3", "PASS"), ("TP53_R273H", "PASS"), ("ERBB2_intron8_alt_exon", "PASS")],
    "P17-T1": [("BRAF_V600E", "PASS")],
    "P17-M1": [("BRAF_V600E", "PASS")],
    "P18-T": [("EGFR_L858R", "PASS")],
    "P19-T": [("BRCA2_S1982fs", "PASS"), ("ERBB2_S310F", "PASS")],
    "P20-T": [("EGFR_L858R", "LowQual", (3, 12)), ("TP53_R273H", "PASS")],
    "P21-T": [("BRAF_intron10", "PASS"), ("TP53_R175H", "PASS")],
    "P22-T": [],                                                  # a VCF with a header and no records
}

# Files whose layout is not "one column named as the sample".
TUMOR_NORMAL = {"vcf/P06-T.tumor_normal.vcf.gz": ("NORMAL", "TUMOR")}


def bgzf(data):
    """BGZF (blocked gzip, as bgzip writes it) with the standard empty EOF block."""
    out = bytearray()
    for i in range(0, len(data), 0xFF00):
        block = data[i:i + 0xFF00]
        comp = zlib.compressobj(6, zlib.DEFLATED, -15)
        payload = comp.compress(block) + comp.flush()
        out += struct.pack("<BBBBIBBHBBHH", 31, 139, 8, 4, 0, 0, 255, 6, 66, 67, 2, len(payload) + 25)
        out += payload + struct.pack("<II", zlib.crc32(block) & 0xFFFFFFFF, len(block))
    out += bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")
    return bytes(out)


def write(path, text):
    path = HERE / path
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("ascii")
    path.write_bytes(bgzf(data) if path.name.endswith(".gz") else data)


def vcf_header(contigs, columns, extra=()):
    lines = ["##fileformat=VCFv4.2",
             "##fileDate=20261101",
             "##source=rarematch examples/synthetic-cohort/generate.py (SYNTHETIC data, not real patients)",
             "##reference=synthetic-cohort/reference/genome.fa"]
    lines += [f"##contig=<ID={name},length={len(seq)}>" for name, seq in contigs.items()]
    lines += ['##FILTER=<ID=PASS,Description="All filters passed">',
              '##FILTER=<ID=LowQual,Description="Low quality call (few supporting reads)">',
              '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
              '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths for the ref and alt alleles">',
              '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
              '##FORMAT=<ID=AF,Number=A,Type=Float,Description="Allele fraction of the alt allele">']
    lines += list(extra)
    lines.append("\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT"] + columns))
    return lines


def build_vcfs(contigs, variants, rng):
    order = {name: i for i, name in enumerate(contigs)}
    files = {}
    for _patient, sample, _code, _tmb, _msi, path, column, _assay in SAMPLES:
        files.setdefault(path, []).append((sample, column))
    texts = {}
    for path, members in files.items():
        # Site -> {column: (filter, alt reads, depth)}.
        sites = {}
        for sample, column in members:
            for call in CALLS[sample]:
                key, filt = call[0], call[1]
                if len(call) > 2:
                    alt_reads, depth = call[2]
                else:
                    depth = rng.randint(80, 320)
                    alt_reads = round(depth * rng.uniform(0.15, 0.55))
                sites.setdefault(key, {})[column] = (filt, alt_reads, depth)
        if path in TUMOR_NORMAL:
            normal, tumor = TUMOR_NORMAL[path]
            columns = [normal, tumor]
            extra = [f"##tumor_sample={tumor}", f"##normal_sample={normal}"]
        else:
            columns = [column for _sample, column in members]
            extra = []
        lines = vcf_header(contigs, columns, extra)
        records = []
        for key, per_column in sites.items():
            v = variants[key]
            filters = {f for f, _a, _d in per_column.values()}
            assert len(filters) == 1, (path, key, "one FILTER per record")
            filt = filters.pop()
            fields = []
            for column in columns:
                if column in per_column:
                    _f, alt_reads, depth = per_column[column]
                    fields.append(f"0/1:{depth - alt_reads},{alt_reads}:{depth}:{alt_reads / depth:.3f}")
                else:
                    depth = rng.randint(40, 200)
                    fields.append(f"0/0:{depth},0:{depth}:0.000")
            qual = str(rng.randint(45, 99)) if filt == "PASS" else str(rng.randint(5, 12))
            records.append((order[v["contig"]], v["pos"],
                            "\t".join([v["contig"], str(v["pos"]), ".", v["ref"], v["alt"], qual, filt, ".",
                                       "GT:AD:DP:AF"] + fields)))
        records.sort()
        assert len({(c, p) for c, p, _ in records}) == len(records)
        lines += [r for _c, _p, r in records]
        texts[path] = "\n".join(lines) + "\n"
    return texts


# ----------------------------------------------------------------------------------------------------------------
# Writers: FASTA + fai, GFF3, clinical, samplesheet, OncoTree, variants.tsv
# ----------------------------------------------------------------------------------------------------------------

def fasta_and_fai(contigs):
    fa, fai, offset = [], [], 0
    for name, seq in contigs.items():
        header = f">{name}\n"
        offset += len(header)
        body = "".join(seq[i:i + FASTA_WIDTH] + "\n" for i in range(0, len(seq), FASTA_WIDTH))
        fai.append(f"{name}\t{len(seq)}\t{offset}\t{FASTA_WIDTH}\t{FASTA_WIDTH + 1}\n")
        fa.append(header + body)
        offset += len(body)
    return "".join(fa), "".join(fai)


def read_fasta(path):
    seqs, name = {}, None
    for line in path.read_text().splitlines():
        if line.startswith(">"):
            name = line[1:].split()[0]
            seqs[name] = []
        else:
            seqs[name].append(line)
    return {k: "".join(v) for k, v in seqs.items()}


def gff3(contigs, placed):
    lines = ["##gff-version 3"]
    lines += [f"##sequence-region   {name} 1 {len(seq)}" for name, seq in contigs.items()]
    by_contig = {}
    for p in placed.values():
        by_contig.setdefault(p.contig, []).append(p)
    exon_ids = {}
    for contig in contigs:
        for p in sorted(by_contig.get(contig, []), key=lambda q: q.gstart):
            gene = p.gene
            spec = gene["spec"]
            gid = f"ENSGSYN{spec['number']:011d}"
            gs, ge = p.span(0, p.length - 1)
            col = [contig, GFF_SOURCE]
            lines.append("\t".join(col + ["gene", str(gs), str(ge), ".", p.strand, ".",
                                          f"ID=gene:{gid};Name={gene['name']};biotype=protein_coding;"
                                          f"description=synthetic gene named after {gene['name']} "
                                          f"(random sequence);gene_id={gid};logic_name=synthetic;version=1"]))
            for ti, tr in enumerate(gene["transcripts"]):
                ts, te = p.span(tr.exons[0][0], tr.exons[-1][1])
                lines.append("\t".join(col + ["mRNA", str(ts), str(te), ".", p.strand, ".",
                                              f"ID=transcript:{tr.id};Parent=gene:{gid};Name={tr.name};"
                                              f"biotype=protein_coding;tag={tr.tags};transcript_id={tr.id};"
                                              "version=1"]))
                pid = "ENSPSYN" + tr.id[7:]
                feats = []  # (start, order, line)
                cds_set = set(tr.cds_t)
                cds_before = 0
                for rank, (e0, e1) in enumerate(tr.exons, 1):
                    es, ee = p.span(e0, e1)
                    ekey = (gene["name"], e0, e1)
                    if ekey not in exon_ids:
                        exon_ids[ekey] = f"ENSESYN{spec['number']:04d}{len(exon_ids) + 1:07d}"
                    eid = exon_ids[ekey]
                    feats.append((es, 1, "\t".join(col + ["exon", str(es), str(ee), ".", p.strand, ".",
                                                          f"Parent=transcript:{tr.id};Name={eid};exon_id={eid};"
                                                          f"rank={rank};version=1"])))
                    # Split the exon into 5' UTR, CDS, 3' UTR pieces (transcript order).
                    pieces = []
                    for t in range(e0, e1 + 1):
                        kind = "CDS" if t in cds_set else ("five_prime_UTR" if t < tr.cds_t[0] else
                                                           "three_prime_UTR")
                        if pieces and pieces[-1][0] == kind:
                            pieces[-1][2] = t
                        else:
                            pieces.append([kind, t, t])
                    for kind, t0, t1 in pieces:
                        fs, fe = p.span(t0, t1)
                        if kind == "CDS":
                            phase = (3 - cds_before % 3) % 3
                            cds_before += t1 - t0 + 1
                            feats.append((fs, 2, "\t".join(col + ["CDS", str(fs), str(fe), ".", p.strand,
                                                                  str(phase), f"ID=CDS:{pid};"
                                                                  f"Parent=transcript:{tr.id};protein_id={pid}"])))
                        else:
                            feats.append((fs, 0, "\t".join(col + [kind, str(fs), str(fe), ".", p.strand, ".",
                                                                  f"Parent=transcript:{tr.id}"])))
                assert cds_before == len(tr.cds_t)
                lines += [f[2] for f in sorted(feats)]
            lines.append("###")
    return "\n".join(lines) + "\n"


def na(value):
    return "NA" if value is None else str(value)


def clinical_files():
    patient = ["#Patient Identifier\tAge\tSex\tECOG Performance Status\tPrior Therapies",
               "#Identifier to uniquely specify a patient.\tAge in years at matching time.\tSex of the patient."
               "\tECOG performance status (0-5).\tPrior systemic therapies, ';'-separated.",
               "#STRING\tNUMBER\tSTRING\tNUMBER\tSTRING",
               "#1\t1\t1\t1\t1",
               "PATIENT_ID\tAGE\tSEX\tECOG\tPRIOR_THERAPIES"]
    for pid, age, sex, ecog, prior in PATIENTS:
        patient.append("\t".join([pid, na(age), sex, na(ecog), na(prior)]))
    sample = ["#Patient Identifier\tSample Identifier\tOncotree Code\tTMB\tMSI Status",
              "#Identifier to uniquely specify a patient.\tA unique sample identifier.\tOncoTree cancer type code."
              "\tTumour mutational burden (mutations per megabase).\tMicrosatellite instability status.",
              "#STRING\tSTRING\tSTRING\tNUMBER\tSTRING",
              "#1\t1\t1\t1\t1",
              "PATIENT_ID\tSAMPLE_ID\tONCOTREE_CODE\tTMB\tMSI_STATUS"]
    for pid, sid, code, tmb, msi, _path, _col, _assay in SAMPLES:
        sample.append("\t".join([pid, sid, na(code), na(tmb), na(msi)]))
    return "\n".join(patient) + "\n", "\n".join(sample) + "\n"


def samplesheet():
    lines = ["patient,sample,vcf,tumor_sample,assay"]
    for pid, sid, _code, _tmb, _msi, path, column, assay in SAMPLES:
        tumor = column if (path in TUMOR_NORMAL or path.endswith("multisample.vcf.gz")) else ""
        lines.append(",".join([pid, sid, path, tumor, assay]))
    return "\n".join(lines) + "\n"


# OncoTree nodes: code, name, mainType, tissue, color, parent, history. Real codes, names and tissues.
ONCOTREE = [
    ("LUNG", "Lung", "Lung Cancer", "Lung", "Gainsboro", "TISSUE", []),
    ("NSCLC", "Non-Small Cell Lung Cancer", "Non-Small Cell Lung Cancer", "Lung", "Gainsboro", "LUNG", []),
    ("LUAD", "Lung Adenocarcinoma", "Non-Small Cell Lung Cancer", "Lung", "Gainsboro", "NSCLC", []),
    ("LUSC", "Lung Squamous Cell Carcinoma", "Non-Small Cell Lung Cancer", "Lung", "Gainsboro", "NSCLC", []),
    ("BOWEL", "Bowel", "Bowel Cancer", "Bowel", "SaddleBrown", "TISSUE", []),
    ("COADREAD", "Colorectal Adenocarcinoma", "Colorectal Cancer", "Bowel", "SaddleBrown", "BOWEL", []),
    ("COAD", "Colon Adenocarcinoma", "Colorectal Cancer", "Bowel", "SaddleBrown", "COADREAD", []),
    ("READ", "Rectal Adenocarcinoma", "Colorectal Cancer", "Bowel", "SaddleBrown", "COADREAD", []),
    ("SKIN", "Skin", "Skin Cancer", "Skin", "Black", "TISSUE", []),
    ("MEL", "Melanoma", "Melanoma", "Skin", "Black", "SKIN", []),
    ("SKCM", "Cutaneous Melanoma", "Melanoma", "Skin", "Black", "MEL", []),
    ("BREAST", "Breast", "Breast Cancer", "Breast", "HotPink", "TISSUE", []),
    ("BRCA", "Invasive Breast Carcinoma", "Breast Cancer", "Breast", "HotPink", "BREAST", []),
    ("IDC", "Breast Invasive Ductal Carcinoma", "Breast Cancer", "Breast", "HotPink", "BRCA", []),
    ("SOFT_TISSUE", "Soft Tissue", "Soft Tissue Cancer", "Soft Tissue", "LightYellow", "TISSUE", []),
    ("GIST", "Gastrointestinal Stromal Tumor", "Gastrointestinal Stromal Tumor", "Soft Tissue", "LightYellow",
     "SOFT_TISSUE", []),
    ("PANCREAS", "Pancreas", "Pancreatic Cancer", "Pancreas", "Purple", "TISSUE", []),
    ("PAAD", "Pancreatic Adenocarcinoma", "Pancreatic Cancer", "Pancreas", "Purple", "PANCREAS", []),
    ("OVARY", "Ovary/Fallopian Tube", "Ovarian/Fallopian Tube Cancer", "Ovary/Fallopian Tube", "LightBlue",
     "TISSUE", []),
    ("OVT", "Ovarian Epithelial Tumor", "Ovarian Cancer", "Ovary/Fallopian Tube", "LightBlue", "OVARY", []),
    ("SOC", "Serous Ovarian Cancer", "Ovarian Cancer", "Ovary/Fallopian Tube", "LightBlue", "OVT", []),
    ("HGSOC", "High-Grade Serous Ovarian Cancer", "Ovarian Cancer", "Ovary/Fallopian Tube", "LightBlue", "SOC",
     []),
    ("MYELOID", "Myeloid", "Blood Cancer", "Myeloid", "LightSalmon", "TISSUE", ["BLOOD"]),
    ("MNM", "Myeloid Neoplasm", "Blood Cancer, NOS", "Myeloid", "LightSalmon", "MYELOID", []),
    ("AML", "Acute Myeloid Leukemia", "Leukemia", "Myeloid", "LightSalmon", "MNM", []),
    ("LYMPH", "Lymphoid", "Lymphatic Cancer", "Lymphoid", "LimeGreen", "TISSUE", []),
]


def oncotree_json():
    def node(code, name, main_type, tissue, color, parent, history, level):
        return {"code": code, "color": color, "name": name, "mainType": main_type, "externalReferences": {},
                "tissue": tissue, "children": {}, "parent": parent, "history": history, "level": level,
                "revocations": [], "precursors": []}

    root = node("TISSUE", "Tissue", None, None, None, None, [], 0)
    nodes = {"TISSUE": root}
    for code, name, main_type, tissue, color, parent, history in ONCOTREE:
        n = node(code, name, main_type, tissue, color, parent, history, nodes[parent]["level"] + 1)
        nodes[parent]["children"][code] = n
        nodes[code] = n
    return json.dumps({"TISSUE": root}, indent=2) + "\n"


def variants_tsv(variants):
    carriers = {}
    for sample, calls in CALLS.items():
        for call in calls:
            carriers.setdefault(call[0], []).append(f"{sample}({call[1]})")
    cols = ["variant", "contig", "pos", "ref", "alt", "gene", "strand", "transcript", "consequence", "hgvs_c",
            "hgvs_p", "exon", "intron", "samples", "note"]
    lines = ["# SYNTHETIC. Canonical-transcript annotation of every VCF record of this example (written by "
             "generate.py).", "\t".join(cols)]
    for key, _gene, _kind, _prm in VARIANTS:
        v = dict(variants[key])
        v["variant"] = key
        v["samples"] = ";".join(sorted(carriers.get(key, [])))
        lines.append("\t".join(str(v[c]) for c in cols))
    return "\n".join(lines) + "\n"


def main():
    rng = random.Random(SEED)
    contigs, placed = build_genome(rng)
    for p in placed.values():
        check_gene(p, contigs)

    variants = {}
    for key, gene, kind, prm in VARIANTS:
        variants[key] = place_variant(key, gene, kind, prm, contigs, placed)
    used = {call[0] for calls in CALLS.values() for call in calls}
    assert used == set(variants), used ^ set(variants)

    fa, fai = fasta_and_fai(contigs)
    assert len(fa) < 300_000, len(fa)
    write("reference/genome.fa", fa)
    write("reference/genome.fa.fai", fai)
    write("reference/genes.gff3", gff3(contigs, placed))

    vcf_texts = build_vcfs(contigs, variants, random.Random(SEED + 1))
    # Remove VCFs this script no longer writes, so the folder holds exactly its output.
    for old in (HERE / "vcf").glob("*.vcf*") if (HERE / "vcf").exists() else []:
        if f"vcf/{old.name}" not in vcf_texts:
            old.unlink()
    for path, text in vcf_texts.items():
        write(path, text)

    patient, sample = clinical_files()
    write("clinical/data_clinical_patient.txt", patient)
    write("clinical/data_clinical_sample.txt", sample)
    write("samplesheet.csv", samplesheet())
    write("oncotree.json", oncotree_json())
    write("variants.tsv", variants_tsv(variants))

    # Read back what was written: every VCF REF equals the FASTA; contig headers match it; records are sorted.
    genome = read_fasta(HERE / "reference/genome.fa")
    assert genome == contigs
    order = list(genome)
    for path, text in vcf_texts.items():
        last = (-1, 0)
        for line in text.splitlines():
            if line.startswith("##contig="):
                name, length = line[len("##contig=<ID="):-1].split(",length=")
                assert len(genome[name]) == int(length)
            if line.startswith("#"):
                continue
            f = line.split("\t")
            pos = int(f[1])
            assert genome[f[0]][pos - 1:pos - 1 + len(f[3])] == f[3], (path, f[:5])
            key = (order.index(f[0]), pos)
            assert key > last, (path, "records not sorted")
            last = key

    for key, *_ in VARIANTS:
        v = variants[key]
        print(f"{key:24} {v['contig']}:{v['pos']} {v['ref'][:20]}>{v['alt']} strand {v['strand'] or '.'} "
              f"{v['consequence']} {v['hgvs_c']} {v['hgvs_p']} exon {v['exon'] or '-'} intron {v['intron'] or '-'}"
              f" {v['note']}")


if __name__ == "__main__":
    main()
