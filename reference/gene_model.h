#pragma once
// The gene model: genes, transcripts, exons and coding sequence read from an Ensembl or GENCODE GFF3 or GTF (or
// restored from a reference bundle), and an interval index answering "which genes overlap this genomic range".

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rarematch::reference {

/// A closed 1-based genomic range [start, end] on one strand (GFF3 convention).
struct Segment {
  std::uint64_t start = 0;  ///< 1-based, inclusive
  std::uint64_t end = 0;    ///< 1-based, inclusive

  /// Equal when both ends are.
  bool operator==(const Segment&) const = default;
};

/// One transcript. Exons and CDS segments are sorted by genomic start (ascending) whatever the strand.
struct Transcript {
  std::string id;            ///< e.g. "ENST00000275493" (GFF3 "transcript:" prefix and version suffix removed)
  std::string gene_id;       ///< e.g. "ENSG00000146648"
  std::string gene_name;     ///< HGNC symbol, e.g. "EGFR"
  std::string biotype;       ///< e.g. "protein_coding"
  std::string contig;        ///< as written in the GFF3/GTF
  char strand = '+';         ///< '+' or '-'
  std::uint64_t start = 0;   ///< 1-based inclusive transcript start
  std::uint64_t end = 0;     ///< 1-based inclusive transcript end
  bool canonical = false;    ///< tagged Ensembl_canonical or MANE_Select
  /// The transcript's `tag` values in file order, e.g. {"basic", "Ensembl_canonical", "MANE_Select"} (GFF3
  /// `tag=a,b`; GTF one `tag "a";` attribute per value).
  std::vector<std::string> tags;
  std::vector<Segment> exons;  ///< exon segments
  /// Coding segments, stop codon included (as GFF3 writes them; the GTF reader adds GTF's separate stop_codon
  /// features); empty for non-coding transcripts.
  std::vector<Segment> cds;

  /// True when the transcript has coding segments.
  bool is_coding() const { return !cds.empty(); }
  /// Sum of CDS segment lengths in bases.
  std::uint64_t coding_length() const;

  /// Field-by-field equality (ids, names, biotype, place, canonical flag, tags, exons and CDS).
  bool operator==(const Transcript&) const = default;
};

/// One gene and its transcripts.
struct Gene {
  std::string id;            ///< e.g. "ENSG00000146648" (prefix and version removed)
  std::string name;          ///< HGNC symbol; the id when the file gives no name
  std::string biotype;       ///< e.g. "protein_coding", "lncRNA"
  std::string contig;        ///< as written in the GFF3/GTF
  char strand = '+';         ///< '+' or '-'
  std::uint64_t start = 0;   ///< 1-based inclusive
  std::uint64_t end = 0;     ///< 1-based inclusive
  std::vector<Transcript> transcripts;  ///< in file order

  /// The canonical transcript: the one tagged Ensembl_canonical or MANE_Select; without a tag, the longest
  /// coding transcript (ties: smallest id); without coding transcripts, the longest. nullptr when none.
  const Transcript* canonical_transcript() const;

  /// Field-by-field equality, transcripts included (in order).
  bool operator==(const Gene&) const = default;
};

/// Immutable gene model with an overlap index. Safe to share between threads once loaded.
class GeneModel {
 public:
  /// Reads an Ensembl (`ID=gene:ENSG…`, `ID=transcript:ENST…`) or GENCODE (`ID=ENSG…`, `gene_name=`,
  /// `gene_type=`) GFF3, plain or gzip/bgzip compressed. Genes, transcripts (any feature whose Parent is a gene,
  /// with their `tag` values), exons and CDS are kept; other features are ignored.
  /// Throws rarematch::Error (kBadInput) naming file and line for malformed lines (wrong column count, bad
  /// coordinates, a child whose parent is unknown), or when the file cannot be read or holds no gene.
  /// Rules: genes are types "gene", "pseudogene" and "*_gene" (and parentless features with ID=gene:...); lines
  /// may come in any order; an exon/CDS whose Parent is declared by a line that is not a transcript (a gene, or a
  /// transcript-like feature whose own parent is not a gene) is skipped, one whose Parent no line declares is an
  /// error; text after the 8th tab is column 9 (unescaped tabs in attributes are tolerated, as bcftools does);
  /// fewer than 9 columns is an error. Ids lose "gene:"/"transcript:" prefixes and ".N" versions
  /// ("ENSG00000182378.14_PAR_Y" becomes "ENSG00000182378_PAR_Y").
  static GeneModel load_gff3(const std::string& path);

  /// Reads an Ensembl or GENCODE GTF (GTF 2.2 layout: `key "value";` attributes), plain or gzip/bgzip compressed,
  /// into the model the GFF3 of the same annotation gives. Features: `gene` (gene_id, gene_name, gene_biotype or
  /// gene_type), `transcript` (gene_id, transcript_id, transcript_biotype or transcript_type, repeatable `tag`;
  /// `Ensembl_canonical` or `MANE_Select` makes it canonical), `exon`, `CDS` and `stop_codon` (by transcript_id);
  /// other features (UTR, start_codon, Selenocysteine, ...) are ignored. GTF's CDS excludes the stop codon while
  /// GFF3's includes it, so each stop_codon segment is added to the CDS (joined to the CDS segment it touches, a
  /// new segment when the stop codon is split by an intron). Ids lose ".N" versions as in load_gff3; lines may
  /// come in any order; a gene without a name is named by its id.
  /// Throws rarematch::Error (kBadInput) naming file and line for malformed lines (not 9 columns, bad coordinates
  /// or strand, an attribute not `key value`, a missing gene_id/transcript_id, a duplicate gene or transcript), a
  /// transcript whose gene_id no gene line declares, an exon/CDS/stop_codon whose transcript_id no transcript line
  /// declares (the file was truncated or filtered, or is a GTF without gene and transcript lines, such as UCSC's),
  /// or one on another contig than its transcript; naming the file when it cannot be read or holds no gene.
  static GeneModel load_gtf(const std::string& path);

  /// Reads `path` with load_gff3 or load_gtf, chosen by its name: ".gff3" or ".gff" is GFF3, ".gtf" is GTF, each
  /// optionally followed by ".gz" or ".bgz" (letter case ignored).
  /// Throws rarematch::Error (kBadInput) naming the file when the name ends otherwise, and as the loader does.
  static GeneModel load(const std::string& path);

  /// A model of already-parsed genes (a reference bundle's), indexed as the loaders index theirs. Genes keep their
  /// order, transcripts theirs; exons and CDS segments are sorted by start when they are not; each transcript's
  /// gene_id and gene_name are set from its gene.
  /// Throws rarematch::Error (kBadInput, naming `source` as the file) when a transcript lies on another contig than
  /// its gene, or a gene, transcript or segment has start 0 or start > end.
  static GeneModel from_genes(std::vector<Gene> genes, const std::string& source);

  /// All genes, in file order.
  const std::vector<Gene>& genes() const { return genes_; }

  /// Genes whose [start, end] overlaps the closed 1-based range [start, end] on `contig` (aliases resolved with
  /// contig_key), sorted by gene start then name. Empty when none or the contig is unknown.
  std::vector<const Gene*> genes_overlapping(std::string_view contig, std::uint64_t start,
                                             std::uint64_t end) const;

  /// The gene with this HGNC symbol, or nullptr.
  const Gene* find_gene(std::string_view name) const;

  /// Contig names used by the model (as written in the file), sorted.
  std::vector<std::string> contigs() const;

 private:
  struct ContigIndex;
  std::vector<Gene> genes_;
  std::shared_ptr<const ContigIndex> index_;  // per contig key: genes sorted by start + running max end
};

}  // namespace rarematch::reference
