// cBioPortal clinical files. A file is read into a copy of the cohort's ClinicalData, which replaces the original
// only when the whole file is good: a bad file leaves `into` as it was.
//
// Patient-level attributes (AGE, SEX, ECOG, PRIOR_THERAPIES, PRIOR_LINES) found in a sample file are facts of the
// sample's patient: they fill PatientClinical, and must agree with what the patient's other rows (of any file)
// say. Sample-level attributes in a patient file (ONCOTREE_CODE, TMB, MSI_STATUS, MMR_STATUS) describe the patient.

#include "pipeline/clinical.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/text_table.h"
#include "reference/error.h"

namespace rarematch::pipeline {
namespace {

namespace v1 = rarematch::v1;

const char* const kColumnsHint =
    "a cBioPortal clinical file names its attributes in the first line after the '#' lines; PATIENT_ID is "
    "required, and a sample file also has SAMPLE_ID";

/// Where a value comes from, for messages.
struct Place {
  const std::string& file;
  std::uint64_t line;

  [[noreturn]] void fail(std::string_view column, const std::string& why, const std::string& hint) const {
    throw_bad_input(file, line, "column " + std::string(column), why, hint);
  }
};

/// cBioPortal's and spreadsheets' ways of saying "not known": empty, NA, N/A, #N/A, and bracketed values such as
/// [Not Available], [Unknown], [Not Applicable].
bool is_null_value(std::string_view value) {
  if (value.empty()) return true;
  if (equals_ignore_case(value, "NA") || equals_ignore_case(value, "N/A") || equals_ignore_case(value, "#N/A")) {
    return true;
  }
  return value.size() >= 2 && value.front() == '[' && value.back() == ']';
}

std::optional<double> parse_number(std::string_view text) {
  double value = 0;
  const char* first = text.data();
  const char* last = first + text.size();
  const auto [end, error] = std::from_chars(first, last, value);
  if (error != std::errc() || end != last || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string format_number(double value) {
  std::array<char, 64> buffer{};
  const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  if (error != std::errc()) return std::to_string(value);
  return std::string(buffer.data(), end);
}

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

/// A number within [min, max]; `whole` asks for an integer value ("2" or "2.0").
std::optional<double> read_number(const Place& place, std::string_view column, std::string_view value, double min,
                                  double max, bool whole, const std::string& range, const std::string& hint) {
  if (is_null_value(value)) return std::nullopt;
  const std::optional<double> number = parse_number(value);
  if (!number) place.fail(column, quoted(value) + " is not a number", hint);
  if (whole && std::floor(*number) != *number) place.fail(column, quoted(value) + " is not a whole number", hint);
  if (*number < min || *number > max) place.fail(column, quoted(value) + " is outside " + range, hint);
  return number;
}

/// Lower-case letters and digits of `text` before any '(' ("Proficient (MMR-P / MSS)" -> "proficient").
std::string status_key(std::string_view text) {
  const std::size_t paren = text.find('(');
  if (paren != std::string_view::npos && paren > 0) text = text.substr(0, paren);
  std::string key;
  for (const char c : text) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) {
      key += c;
    } else if (c >= 'A' && c <= 'Z') {
      key += static_cast<char>(c - 'A' + 'a');
    }
  }
  return key;
}

bool key_in(std::string_view key, std::initializer_list<std::string_view> keys) {
  for (const std::string_view k : keys) {
    if (k == key) return true;
  }
  return false;
}

/// Spellings of "tested, but no usable result" shared by MSI_STATUS and MMR_STATUS (they stay unknown).
bool is_inconclusive(std::string_view key) {
  return key_in(key, {"unknown", "indeterminate", "inconclusive", "equivocal", "notevaluated", "notassessed",
                      "cannotassess", "cannotbeassessed", "notdone", "notperformed", "notreported", "pending",
                      "donotreport"});
}

v1::Sex read_sex(const Place& place, std::string_view value) {
  if (is_null_value(value)) return v1::SEX_UNSPECIFIED;
  const std::string key = to_lower(value);
  if (key == "male" || key == "m") return v1::SEX_MALE;
  if (key == "female" || key == "f") return v1::SEX_FEMALE;
  if (key_in(key, {"unknown", "u", "unk", "not reported", "unspecified", "other", "indeterminate"})) {
    return v1::SEX_UNSPECIFIED;
  }
  place.fail("SEX", quoted(value) + " is not a known sex",
             "write Male or Female (M or F), Unknown, or NA when not known");
}

v1::MsiStatus read_msi(const Place& place, std::string_view value) {
  if (is_null_value(value)) return v1::MSI_STATUS_UNSPECIFIED;
  const std::string key = status_key(value);
  if (key_in(key, {"msih", "msihigh", "high", "microsatelliteinstabilityhigh", "microsatelliteinstable",
                   "microsatelliteunstable", "instable", "unstable"})) {
    return v1::MSI_STATUS_MSI_HIGH;
  }
  if (key_in(key, {"msil", "msilow", "low", "microsatelliteinstabilitylow"})) return v1::MSI_STATUS_MSI_LOW;
  if (key_in(key, {"mss", "stable", "microsatellitestable"})) return v1::MSI_STATUS_MSS;
  if (is_inconclusive(key)) return v1::MSI_STATUS_UNSPECIFIED;
  place.fail("MSI_STATUS", quoted(value) + " is not a known MSI status",
             "write MSI-H, MSI-L or MSS (or Indeterminate, or NA when not known)");
}

v1::MmrStatus read_mmr(const Place& place, std::string_view value) {
  if (is_null_value(value)) return v1::MMR_STATUS_UNSPECIFIED;
  const std::string key = status_key(value);
  if (key_in(key, {"deficient", "dmmr", "mmrd", "mmrdeficient", "deficientmmr", "mmrdeficiency"})) {
    return v1::MMR_STATUS_DEFICIENT;
  }
  if (key_in(key, {"proficient", "pmmr", "mmrp", "mmrproficient", "proficientmmr", "intact", "mmrintact"})) {
    return v1::MMR_STATUS_PROFICIENT;
  }
  if (is_inconclusive(key)) return v1::MMR_STATUS_UNSPECIFIED;
  place.fail("MMR_STATUS", quoted(value) + " is not a known MMR status",
             "write Deficient (dMMR) or Proficient (pMMR) (or Indeterminate, or NA when not known)");
}

/// PRIOR_THERAPIES: ';'-separated names, trimmed, empty items dropped; "None" means known to have had none.
std::optional<std::vector<std::string>> read_therapies(const Place& place, std::string_view value) {
  if (is_null_value(value)) return std::nullopt;
  std::vector<std::string> agents;
  if (equals_ignore_case(value, "none")) return agents;
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t semicolon = value.find(';', start);
    const std::size_t end = semicolon == std::string_view::npos ? value.size() : semicolon;
    const std::string_view item = trim(value.substr(start, end - start));
    if (!item.empty()) agents.emplace_back(item);
    start = end + 1;
  }
  if (agents.empty()) {
    place.fail("PRIOR_THERAPIES", quoted(value) + " names no therapy",
               "list the therapies separated by ';', write None when there were none, or NA when not known");
  }
  return agents;
}

std::string join_agents(const v1::PriorTherapies& therapies) {
  if (therapies.agents().empty()) return "None";
  std::string out;
  for (const std::string& agent : therapies.agents()) {
    if (!out.empty()) out += ";";
    out += agent;
  }
  return out;
}

const char* sex_name(v1::Sex sex) {
  return sex == v1::SEX_MALE ? "Male" : sex == v1::SEX_FEMALE ? "Female" : "Unknown";
}

const char* msi_name(v1::MsiStatus msi) {
  switch (msi) {
    case v1::MSI_STATUS_MSI_HIGH: return "MSI-H";
    case v1::MSI_STATUS_MSI_LOW: return "MSI-L";
    case v1::MSI_STATUS_MSS: return "MSS";
    default: return "unknown";
  }
}

const char* mmr_name(v1::MmrStatus mmr) {
  switch (mmr) {
    case v1::MMR_STATUS_DEFICIENT: return "Deficient";
    case v1::MMR_STATUS_PROFICIENT: return "Proficient";
    default: return "unknown";
  }
}

/// Attribute columns of one file.
struct Columns {
  std::size_t patient = 0;
  std::optional<std::size_t> sample;
  std::optional<std::size_t> oncotree_code;
  std::optional<std::size_t> age;
  std::optional<std::size_t> sex;
  std::optional<std::size_t> ecog;
  std::optional<std::size_t> prior_therapies;
  std::optional<std::size_t> prior_lines;
  std::optional<std::size_t> msi;
  std::optional<std::size_t> mmr;
  std::optional<std::size_t> tmb;
  std::optional<std::size_t> tmb_nonsynonymous;
};

/// The attributes of one row, parsed and checked.
struct RowFacts {
  std::optional<std::string> oncotree_code;
  std::optional<double> age;
  v1::Sex sex = v1::SEX_UNSPECIFIED;
  std::optional<std::uint32_t> ecog;
  std::optional<std::vector<std::string>> prior_therapies;
  std::optional<std::uint32_t> prior_lines;
  std::optional<double> tmb;
  v1::MsiStatus msi = v1::MSI_STATUS_UNSPECIFIED;
  v1::MmrStatus mmr = v1::MMR_STATUS_UNSPECIFIED;

  bool has_patient_level() const {
    return age || sex != v1::SEX_UNSPECIFIED || ecog || prior_therapies || prior_lines;
  }
};

RowFacts read_facts(const Place& place, const Columns& columns, const std::vector<std::string>& fields) {
  const auto field = [&fields](const std::optional<std::size_t>& column) -> std::string_view {
    return column ? std::string_view(fields[*column]) : std::string_view();
  };
  RowFacts facts;
  if (const std::string_view code = field(columns.oncotree_code); !is_null_value(code)) {
    facts.oncotree_code = to_upper(code);
  }
  facts.age = read_number(place, "AGE", field(columns.age), 0, 150, false, "0..150 years",
                          "write the age in years (with a decimal point, if any), or NA when unknown");
  facts.sex = read_sex(place, field(columns.sex));
  if (const auto ecog = read_number(place, "ECOG", field(columns.ecog), 0, 5, true, "0..5",
                                    "write the ECOG performance status 0, 1, 2, 3, 4 or 5, or NA when unknown")) {
    facts.ecog = static_cast<std::uint32_t>(*ecog);
  }
  facts.prior_therapies = read_therapies(place, field(columns.prior_therapies));
  if (const auto lines = read_number(place, "PRIOR_LINES", field(columns.prior_lines), 0,
                                     std::numeric_limits<std::uint32_t>::max(), true, "0 or more lines",
                                     "write the number of prior lines of systemic therapy, or NA when unknown")) {
    facts.prior_lines = static_cast<std::uint32_t>(*lines);
  }
  const std::string tmb_hint = "write the tumour mutational burden in mutations per megabase, or NA when unknown";
  facts.tmb = read_number(place, "TMB", field(columns.tmb), 0, std::numeric_limits<double>::max(), false,
                          "0 or more mutations per megabase", tmb_hint);
  if (!facts.tmb) {
    facts.tmb = read_number(place, "TMB_NONSYNONYMOUS", field(columns.tmb_nonsynonymous), 0,
                            std::numeric_limits<double>::max(), false, "0 or more mutations per megabase", tmb_hint);
  }
  facts.msi = read_msi(place, field(columns.msi));
  facts.mmr = read_mmr(place, field(columns.mmr));
  return facts;
}

/// Adds `facts` to a patient, refusing a value that contradicts one already known. `with_sample_level` also takes
/// ONCOTREE_CODE, TMB, MSI_STATUS and MMR_STATUS (a patient file's row).
void merge_into_patient(PatientClinical& patient, const std::string& patient_id, const RowFacts& facts,
                        bool with_sample_level, const Place& place) {
  const auto contradiction = [&](std::string_view column, const std::string& incoming, const std::string& known) {
    place.fail(column,
               quoted(incoming) + " for patient " + quoted(patient_id) + " contradicts " + quoted(known) +
                   " given at " + patient.file + ":" + std::to_string(patient.line),
               "give each patient one value; a sample file's patient attributes must agree across the patient's "
               "samples and with the patient file");
  };
  v1::ClinicalFacts& known = patient.facts;
  if (facts.age) {
    if (known.has_age_years() && known.age_years() != *facts.age) {
      contradiction("AGE", format_number(*facts.age), format_number(known.age_years()));
    }
    known.set_age_years(*facts.age);
  }
  if (facts.sex != v1::SEX_UNSPECIFIED) {
    if (known.sex() != v1::SEX_UNSPECIFIED && known.sex() != facts.sex) {
      contradiction("SEX", sex_name(facts.sex), sex_name(known.sex()));
    }
    known.set_sex(facts.sex);
  }
  if (facts.ecog) {
    if (known.has_ecog() && known.ecog() != *facts.ecog) {
      contradiction("ECOG", std::to_string(*facts.ecog), std::to_string(known.ecog()));
    }
    known.set_ecog(*facts.ecog);
  }
  if (facts.prior_therapies) {
    v1::PriorTherapies incoming;
    for (const std::string& agent : *facts.prior_therapies) incoming.add_agents(agent);
    if (known.has_prior_therapies() &&
        !std::equal(known.prior_therapies().agents().begin(), known.prior_therapies().agents().end(),
                    incoming.agents().begin(), incoming.agents().end())) {
      contradiction("PRIOR_THERAPIES", join_agents(incoming), join_agents(known.prior_therapies()));
    }
    *known.mutable_prior_therapies() = std::move(incoming);
  }
  if (facts.prior_lines) {
    if (known.has_prior_lines() && known.prior_lines() != *facts.prior_lines) {
      contradiction("PRIOR_LINES", std::to_string(*facts.prior_lines), std::to_string(known.prior_lines()));
    }
    known.set_prior_lines(*facts.prior_lines);
  }
  if (!with_sample_level) return;
  if (facts.oncotree_code) {
    if (known.has_oncotree_code() && known.oncotree_code() != *facts.oncotree_code) {
      contradiction("ONCOTREE_CODE", *facts.oncotree_code, known.oncotree_code());
    }
    known.set_oncotree_code(*facts.oncotree_code);
  }
  v1::Biomarkers& markers = patient.biomarkers;
  if (facts.tmb) {
    if (markers.has_tmb_mut_per_mb() && markers.tmb_mut_per_mb() != *facts.tmb) {
      contradiction("TMB", format_number(*facts.tmb), format_number(markers.tmb_mut_per_mb()));
    }
    markers.set_tmb_mut_per_mb(*facts.tmb);
    markers.set_tmb_source(v1::VALUE_SOURCE_GIVEN);
  }
  if (facts.msi != v1::MSI_STATUS_UNSPECIFIED) {
    if (markers.msi_status() != v1::MSI_STATUS_UNSPECIFIED && markers.msi_status() != facts.msi) {
      contradiction("MSI_STATUS", msi_name(facts.msi), msi_name(markers.msi_status()));
    }
    markers.set_msi_status(facts.msi);
  }
  if (facts.mmr != v1::MMR_STATUS_UNSPECIFIED) {
    if (markers.mmr_status() != v1::MMR_STATUS_UNSPECIFIED && markers.mmr_status() != facts.mmr) {
      contradiction("MMR_STATUS", mmr_name(facts.mmr), mmr_name(markers.mmr_status()));
    }
    markers.set_mmr_status(facts.mmr);
  }
}

Columns find_columns(const TextTable& table) {
  Columns columns;
  const std::optional<std::size_t> patient = table.find_column("PATIENT_ID");
  if (!patient) {
    std::string found;
    for (const std::string& name : table.columns()) found += (found.empty() ? "" : ", ") + name;
    throw_bad_input(table.path(), table.header_line(), "column PATIENT_ID",
                    "the header row has no PATIENT_ID column (it has: " + found + ")", kColumnsHint);
  }
  columns.patient = *patient;
  columns.sample = table.find_column("SAMPLE_ID");
  columns.oncotree_code = table.find_column("ONCOTREE_CODE");
  columns.age = table.find_column("AGE");
  columns.sex = table.find_column("SEX");
  columns.ecog = table.find_column("ECOG");
  columns.prior_therapies = table.find_column("PRIOR_THERAPIES");
  columns.prior_lines = table.find_column("PRIOR_LINES");
  columns.msi = table.find_column("MSI_STATUS");
  columns.mmr = table.find_column("MMR_STATUS");
  columns.tmb = table.find_column("TMB");
  columns.tmb_nonsynonymous = table.find_column("TMB_NONSYNONYMOUS");
  return columns;
}

std::string required_id(const Place& place, std::string_view column, const std::string& value) {
  if (is_null_value(value)) {
    place.fail(column, value.empty() ? "the value is empty" : quoted(value) + " is not an identifier",
               "give every row its " + std::string(column));
  }
  return value;
}

}  // namespace

void read_clinical_file(const std::string& path, ClinicalData& into) {
  TextTable table = TextTable::open(path, FieldSeparator::kTab);
  const Columns columns = find_columns(table);
  const bool sample_file = columns.sample.has_value();

  ClinicalData result = into;
  std::map<std::string, std::uint64_t> lines_in_file;  // PATIENT_ID (patient file) or SAMPLE_ID -> line
  TableRow row;
  while (table.next_row(row)) {
    const Place place{path, row.line};
    const std::string patient_id = required_id(place, "PATIENT_ID", row.fields[columns.patient]);
    const RowFacts facts = read_facts(place, columns, row.fields);

    if (sample_file) {
      const std::string sample_id = required_id(place, "SAMPLE_ID", row.fields[*columns.sample]);
      if (const auto [it, inserted] = lines_in_file.emplace(sample_id, row.line); !inserted) {
        place.fail("SAMPLE_ID", quoted(sample_id) + " is given twice, on lines " + std::to_string(it->second) +
                                    " and " + std::to_string(row.line),
                   "keep one row per sample");
      }
      if (const auto other = result.samples.find(sample_id); other != result.samples.end()) {
        place.fail("SAMPLE_ID",
                   quoted(sample_id) + " is also given at " + other->second.file + ":" +
                       std::to_string(other->second.line),
                   "give each sample in one clinical sample file only");
      }
      SampleClinical& sample = result.samples[sample_id];
      sample.patient_id = patient_id;
      sample.oncotree_code = facts.oncotree_code;
      sample.tmb_mut_per_mb = facts.tmb;
      sample.msi_status = facts.msi;
      sample.mmr_status = facts.mmr;
      sample.file = path;
      sample.line = row.line;
      if (facts.has_patient_level()) {
        auto [it, created] = result.patients.try_emplace(patient_id);
        if (created) {
          it->second.file = path;
          it->second.line = row.line;
        }
        merge_into_patient(it->second, patient_id, facts, false, place);
      }
      continue;
    }

    if (const auto [it, inserted] = lines_in_file.emplace(patient_id, row.line); !inserted) {
      place.fail("PATIENT_ID", quoted(patient_id) + " is given twice, on lines " + std::to_string(it->second) +
                                   " and " + std::to_string(row.line),
                 "keep one row per patient");
    }
    auto [it, created] = result.patients.try_emplace(patient_id);
    PatientClinical& patient = it->second;
    if (!created && patient.from_patient_file) {
      place.fail("PATIENT_ID",
                 quoted(patient_id) + " is also given at " + patient.file + ":" + std::to_string(patient.line),
                 "give each patient in one clinical patient file only");
    }
    if (created) {
      patient.file = path;
      patient.line = row.line;
    }
    merge_into_patient(patient, patient_id, facts, true, place);
    patient.file = path;
    patient.line = row.line;
    patient.from_patient_file = true;
  }
  into = std::move(result);
}

}  // namespace rarematch::pipeline
