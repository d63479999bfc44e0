#include "pipeline/samplesheet.h"

#include <filesystem>
#include <map>
#include <optional>
#include <utility>

#include "pipeline/text_table.h"
#include "reference/error.h"

namespace rarematch::pipeline {
namespace {

namespace fs = std::filesystem;

const char* const kColumnsHint =
    "name the columns in the first line: patient,sample,vcf and optionally tumor_sample,assay,panel,cna,sv";

/// `value` as a path: absolute paths as given, relative ones joined to the samplesheet's folder.
std::string resolve_path(const fs::path& folder, const std::string& value) {
  if (value.empty()) return {};
  const fs::path path(value);
  if (path.is_absolute() || folder.empty()) return value;
  return (folder / path).string();
}

std::string list_columns(const std::vector<std::string>& columns) {
  std::string out;
  for (const std::string& name : columns) {
    if (!out.empty()) out += ", ";
    out += name.empty() ? "(unnamed)" : name;
  }
  return out;
}

}  // namespace

Samplesheet read_samplesheet(const std::string& path) {
  TextTable table = TextTable::open(path, FieldSeparator::kComma);

  const auto required = [&](const char* name) {
    const std::optional<std::size_t> index = table.find_column(name);
    if (!index) {
      throw_bad_input(path, table.header_line(), std::string("column ") + name,
                      "the header row has no '" + std::string(name) + "' column (it has: " +
                          list_columns(table.columns()) + ")",
                      kColumnsHint);
    }
    return *index;
  };
  const std::size_t patient_column = required("patient");
  const std::size_t sample_column = required("sample");
  const std::size_t vcf_column = required("vcf");
  const std::optional<std::size_t> tumor_sample_column = table.find_column("tumor_sample");
  const std::optional<std::size_t> assay_column = table.find_column("assay");
  const std::optional<std::size_t> panel_column = table.find_column("panel");
  const std::optional<std::size_t> cna_column = table.find_column("cna");
  const std::optional<std::size_t> sv_column = table.find_column("sv");

  const fs::path folder = fs::path(path).parent_path();
  Samplesheet sheet;
  sheet.path = path;
  std::map<std::pair<std::string, std::string>, std::uint64_t> first_line;  // (patient, sample) -> line
  TableRow row;
  while (table.next_row(row)) {
    const auto optional_value = [&row](const std::optional<std::size_t>& column) -> std::string {
      return column ? row.fields[*column] : std::string();
    };
    const auto required_value = [&](std::size_t column, const char* name, const char* hint) -> std::string {
      if (row.fields[column].empty()) {
        throw_bad_input(path, row.line, std::string("column ") + name, "the value is empty", hint);
      }
      return row.fields[column];
    };

    SamplesheetRow entry;
    entry.line = row.line;
    entry.patient = required_value(patient_column, "patient", "give the patient's identifier");
    entry.sample = required_value(sample_column, "sample", "give the sample's identifier");
    entry.vcf = resolve_path(folder, required_value(vcf_column, "vcf",
                                                    "give the sample's VCF or BCF file, absolute or relative to "
                                                    "the samplesheet's folder"));
    entry.tumor_sample = optional_value(tumor_sample_column);
    const std::string assay = optional_value(assay_column);
    if (equals_ignore_case(assay, "WES") || equals_ignore_case(assay, "WGS")) {
      entry.assay = to_upper(assay);
    } else if (equals_ignore_case(assay, "panel")) {
      entry.assay = "panel";
    } else if (!assay.empty()) {
      throw_bad_input(path, row.line, "column assay", "'" + assay + "' is not a known assay",
                      "write WES, WGS or panel (with the panel's BED in the panel column), or leave it empty");
    }
    entry.panel = resolve_path(folder, optional_value(panel_column));
    entry.cna = resolve_path(folder, optional_value(cna_column));
    entry.sv = resolve_path(folder, optional_value(sv_column));

    const auto [it, inserted] = first_line.emplace(std::make_pair(entry.patient, entry.sample), row.line);
    if (!inserted) {
      throw_bad_input(path, row.line, "columns patient, sample",
                      "patient '" + entry.patient + "' sample '" + entry.sample + "' is given twice, on lines " +
                          std::to_string(it->second) + " and " + std::to_string(row.line),
                      "keep one row per sample, or give the two samples distinct ids");
    }
    sheet.rows.push_back(std::move(entry));
  }
  if (sheet.rows.empty()) {
    throw_bad_input(path, table.header_line(), "samplesheet", "the header row is not followed by any sample row",
                    "add one row per sample: patient,sample,vcf");
  }
  return sheet;
}

}  // namespace rarematch::pipeline
