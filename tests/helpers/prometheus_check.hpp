#pragma once
// A checker for the Prometheus text exposition format 0.0.4, for the metrics unit tests and the
// HTTP tests: every line a HELP, TYPE or sample line of the grammar; each family one TYPE line
// before its samples, and its samples together; no series twice; histogram buckets cumulative
// with a +Inf bucket equal to _count. Header-only.
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace zkagent::testing {

struct sample_line {
  std::string name;
  std::map<std::string, std::string> labels;  // unescaped values
  std::string value;
};

struct exposition {
  std::vector<std::string> problems;
  std::map<std::string, std::string> types;  // family -> type
  std::vector<sample_line> samples;

  [[nodiscard]] const sample_line* find(const std::string& name, const std::map<std::string, std::string>& labels = {}) const {
    for (const auto& s : samples) {
      if (s.name == name && s.labels == labels) return &s;
    }
    return nullptr;
  }
  [[nodiscard]] std::string report() const {
    std::string out;
    for (const auto& p : problems) out += p + "\n";
    return out;
  }
};

inline const std::string name_re = "[a-zA-Z_:][a-zA-Z0-9_:]*";
inline const std::string label_value_re = R"re("(?:[^"\\\n]|\\[\\"n])*")re";
inline const std::string label_re = "[a-zA-Z_][a-zA-Z0-9_]*=" + label_value_re;
inline const std::string value_re = R"re([-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]Inf|NaN)re";

inline std::string unescape(const std::string& quoted) {
  std::string out;
  for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
    if (quoted[i] == '\\') {
      ++i;
      out += quoted[i] == 'n' ? '\n' : quoted[i];
    } else {
      out += quoted[i];
    }
  }
  return out;
}

// The family a sample belongs to: histograms and summaries add suffixes to their name.
inline std::string family_of(const std::string& name, const std::map<std::string, std::string>& types) {
  for (const auto* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s = suffix;
    if (name.size() > s.size() && name.ends_with(s)) {
      const auto base = name.substr(0, name.size() - s.size());
      const auto it = types.find(base);
      if (it != types.end() && (it->second == "histogram" || it->second == "summary")) return base;
    }
  }
  return name;
}

inline exposition check_exposition(const std::string& text) {
  static const std::regex help_line("# HELP (" + name_re + ") (.*)");
  static const std::regex type_line("# TYPE (" + name_re + ") (counter|gauge|histogram|summary|untyped)");
  static const std::regex sample_re("(" + name_re + ")(?:\\{((?:" + label_re + ")(?:," + label_re + ")*)?,?\\})? (" +
                                    value_re + ")(?: -?[0-9]+)?");
  static const std::regex label_item("([a-zA-Z_][a-zA-Z0-9_]*)=(" + label_value_re + ")");
  exposition out;
  if (text.empty() || text.back() != '\n') out.problems.push_back("the text does not end with a newline");
  std::set<std::string> helped, finished, series;
  std::string current;  // the family whose lines are being read
  std::istringstream in(text);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    const auto where = "line " + std::to_string(number) + " '" + line + "': ";
    std::smatch m;
    if (line.empty()) {
      out.problems.push_back(where + "empty line");
    } else if (line.starts_with("# HELP ")) {
      if (!std::regex_match(line, m, help_line)) {
        out.problems.push_back(where + "malformed HELP");
        continue;
      }
      if (!helped.insert(m[1]).second) out.problems.push_back(where + "second HELP for " + m[1].str());
    } else if (line.starts_with("# TYPE ")) {
      if (!std::regex_match(line, m, type_line)) {
        out.problems.push_back(where + "malformed TYPE");
        continue;
      }
      const auto family = m[1].str();
      if (out.types.contains(family)) out.problems.push_back(where + "second TYPE for " + family);
      if (finished.contains(family) || family == current) out.problems.push_back(where + "TYPE after samples of " + family);
      out.types[family] = m[2];
      if (!current.empty()) finished.insert(current);
      current = family;
    } else if (line.starts_with("#")) {
      continue;  // other comments are allowed
    } else if (std::regex_match(line, m, sample_re)) {
      sample_line s{m[1], {}, m[3]};
      const std::string labels = m[2];
      for (auto it = std::sregex_iterator(labels.begin(), labels.end(), label_item); it != std::sregex_iterator(); ++it) {
        if (!s.labels.emplace((*it)[1], unescape((*it)[2])).second) out.problems.push_back(where + "label given twice");
      }
      const auto family = family_of(s.name, out.types);
      if (!out.types.contains(family)) out.problems.push_back(where + "no TYPE line before the samples of " + family);
      if (family != current) {
        if (finished.contains(family)) out.problems.push_back(where + "the samples of " + family + " are not together");
        if (!current.empty()) finished.insert(current);
        current = family;
      }
      if (!series.insert(s.name + "{" + labels + "}").second) out.problems.push_back(where + "series given twice");
      out.samples.push_back(std::move(s));
    } else {
      out.problems.push_back(where + "not a sample of the exposition format");
    }
  }
  // Histograms: buckets cumulative, a +Inf bucket equal to _count.
  for (const auto& [family, type] : out.types) {
    if (type != "histogram") continue;
    std::map<std::string, std::vector<double>> buckets;  // by the other labels
    for (const auto& s : out.samples) {
      if (s.name != family + "_bucket") continue;
      auto others = s.labels;
      if (!others.contains("le")) out.problems.push_back(family + ": a bucket without le");
      const auto le = others["le"];
      others.erase("le");
      std::string key;
      for (const auto& [k, v] : others) key += k + "=" + v + ",";
      buckets[key].push_back(std::stod(s.value));
      if (le == "+Inf") {
        const auto* count = out.find(family + "_count", others);
        if (count == nullptr || count->value != s.value) out.problems.push_back(family + ": +Inf bucket differs from _count");
      }
    }
    for (const auto& [key, values] : buckets) {
      for (std::size_t i = 1; i < values.size(); ++i) {
        if (values[i] < values[i - 1]) out.problems.push_back(family + "{" + key + "}: buckets not cumulative");
      }
    }
  }
  return out;
}

}  // namespace zkagent::testing
