#pragma once
// The gene model: genes, transcripts, exons and coding sequence read from an Ensembl or GENCODE GFF3, and an
// interval index answering "which genes overlap this genomic range".

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
};

/// One transcript. Exons and CDS segments are sorted by genomic start (ascending) whatever the strand.
struct Transcript {
  std::string id;            ///< e.g. "ENST00000275493" (GFF3 "transcript:" prefix and version suffix removed)
  std::string gene_id;       ///< e.g. "ENSG00000146648"
  std::string gene_name;     ///< HGNC symbol, e.g. "EGFR"
  std::string biotype;       ///< e.g. "protein_coding"
  std::string contig;        ///< as written in the GFF3
  char strand = '+';         ///< '+' or '-'
  std::uint64_t start = 0;   ///< 1-based inclusive transcript start
  std::uint64_t end = 0;     ///< 1-based inclusive transcript end
  bool canonical = false;    ///< tagged Ensembl_canonical or MANE_Select
  std::vector<Segment> exons;
  std::vector<Segment> cds;  ///< coding segments; empty for non-coding transcripts

  bool is_coding() const { return !cds.empty(); }
  /// Sum of CDS segment lengths in bases.
  std::uint64_t coding_length() const;
};

/// One gene and its transcripts.
struct Gene {
  std::string id;            ///< e.g. "ENSG00000146648" (prefix and version removed)
  std::string name;          ///< HGNC symbol; the id when the GFF3 gives no Name
  std::string biotype;
  std::string contig;        ///< as written in the GFF3
  char strand = '+';
  std::uint64_t start = 0;   ///< 1-based inclusive
  std::uint64_t end = 0;     ///< 1-based inclusive
  std::vector<Transcript> transcripts;  ///< in file order

  /// The canonical transcript: the one tagged Ensembl_canonical or MANE_Select; without a tag, the longest
  /// coding transcript (ties: smallest id); without coding transcripts, the longest. nullptr when none.
  const Transcript* canonical_transcript() const;
};

/// Immutable gene model with an overlap index. Safe to share between threads once loaded.
class GeneModel {
 public:
  /// Reads an Ensembl (`ID=gene:ENSG…`, `ID=transcript:ENST…`) or GENCODE (`ID=ENSG…`, `gene_name=`,
  /// `gene_type=`) GFF3, plain or gzip/bgzip compressed. Genes, transcripts (any feature whose Parent is a gene),
  /// exons and CDS are kept; other features are ignored.
  /// Throws rarematch::Error (kBadInput) naming file and line for malformed lines (wrong column count, bad
  /// coordinates, a child whose parent is unknown), or when the file cannot be read or holds no gene.
  /// Rules: genes are types "gene", "pseudogene" and "*_gene" (and parentless features with ID=gene:...); lines
  /// may come in any order; an exon/CDS whose Parent is declared by a line that is not a transcript (a gene, or a
  /// transcript-like feature whose own parent is not a gene) is skipped, one whose Parent no line declares is an
  /// error; text after the 8th tab is column 9 (unescaped tabs in attributes are tolerated, as bcftools does);
  /// fewer than 9 columns is an error. Ids lose "gene:"/"transcript:" prefixes and ".N" versions
  /// ("ENSG00000182378.14_PAR_Y" becomes "ENSG00000182378_PAR_Y").
  static GeneModel load_gff3(const std::string& path);

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
