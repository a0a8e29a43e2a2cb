#include "runner/results/repeat_stats.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "runner/base/units.h"

namespace proclab {

double Statistic(const std::string& stat, std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  if (stat == "min") return values.front();
  if (stat == "max") return values.back();
  if (stat == "mean") return std::accumulate(values.begin(), values.end(), 0.0) / n;
  if (stat == "p90") {
    const size_t rank = static_cast<size_t>(std::ceil(0.9 * static_cast<double>(n)));
    return values[std::max<size_t>(rank, 1) - 1];
  }
  // median
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

Distribution Distribute(const std::vector<double>& values) {
  Distribution d;
  d.n = values.size();
  if (values.empty()) return d;
  d.min = Statistic("min", values);
  d.median = Statistic("median", values);
  d.mean = Statistic("mean", values);
  d.p90 = Statistic("p90", values);
  d.max = Statistic("max", values);
  return d;
}

std::string FormatFigure(double value, const std::string& unit) {
  if (unit == "s") return FormatSeconds(std::llround(value * 1e6)) + "s";
  if (unit == "B") return FormatSize(std::llround(value));
  return fmt::format("{:.2f}", value);
}

std::string AcrossRuns::DisplayName() const {
  return fmt::format("{}: {} across {} run{}", scenario, expectation, runs, runs == 1 ? "" : "s");
}

void RepeatStats::Add(const ScenarioResult& r) {
  if (r.cancelled || r.verdicts.empty()) return;
  for (const Verdict& v : r.verdicts) {
    if (!v.measured || v.measured->stats.empty()) continue;
    AcrossRuns& b = Note(r.attempt, v.expectation, v.loc, *v.measured).base;
    b.scenario = r.scenario;
    b.subject = r.subject;
    b.file = r.file;
    b.path = r.path;
  }
}

void RepeatStats::Add(int attempt, const std::string& expectation, const SourceLoc& loc,
                      const Measured& m) {
  Note(attempt, expectation, loc, m);
}

RepeatStats::Seen& RepeatStats::Note(int attempt, const std::string& expectation,
                                     const SourceLoc& loc, const Measured& m) {
  // One expectation: where it is written and what it says.
  const std::string key = fmt::format("{}:{}:{} {}", loc.file, loc.line, loc.column, expectation);
  auto [it, fresh] = seen_.try_emplace(key);
  if (fresh) {
    order_.push_back(key);
    AcrossRuns& b = it->second.base;
    b.expectation = expectation;
    b.loc = loc;
    b.unit = m.unit;
  }
  it->second.runs.emplace_back(attempt, m);
  return it->second;
}

std::vector<AcrossRuns> RepeatStats::Judge() const {
  std::vector<AcrossRuns> out;
  for (const std::string& key : order_) {
    const Seen& seen = seen_.at(key);
    AcrossRuns a = seen.base;
    auto runs = seen.runs;
    std::sort(runs.begin(), runs.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
    a.runs = static_cast<int>(runs.size());
    std::vector<double> figures;
    for (const auto& [attempt, m] : runs) {
      if (m.value) {
        a.values.emplace_back(attempt, *m.value);
        figures.push_back(*m.value);
      } else {
        a.missing.push_back(attempt);
      }
    }
    a.distribution = Distribute(figures);
    auto fig = [&](double x) { return FormatFigure(x, a.unit); };
    const Distribution& d = a.distribution;
    std::string text =
        figures.empty()
            ? fmt::format("no run gave a figure ({} run{})", a.runs, a.runs == 1 ? "" : "s")
            : fmt::format("over {} run{}: min {}, median {}, mean {}, p90 {}, max {}", d.n,
                          d.n == 1 ? "" : "s", fig(d.min), fig(d.median), fig(d.mean), fig(d.p90),
                          fig(d.max));
    if (!a.missing.empty()) {
      std::vector<int> shown;
      for (int at : a.missing) shown.push_back(at + 1);
      text += fmt::format(" ({} run{} gave no figure: #{})", a.missing.size(),
                          a.missing.size() == 1 ? "" : "s", fmt::join(shown, ", #"));
    }
    a.passed = !figures.empty();
    // The bounds as the first run evaluated them; runs that evaluated a
    // bound to another value (another number of CPUs) cannot share one.
    const Measured& first = runs.front().second;
    for (size_t i = 0; i < first.stats.size(); ++i) {
      const Measured::Stat& bound = first.stats[i];
      AcrossRuns::Stat st{bound.written, bound.stat, bound.min, bound.max, std::nullopt, false};
      bool agree = true;
      for (const auto& [attempt, m] : runs)
        if (i >= m.stats.size() || m.stats[i] != bound) agree = false;
      if (!figures.empty()) st.value = Statistic(st.stat, figures);
      std::string said = fmt::format("{} {}", st.stat, st.value ? fig(*st.value) : "unknown");
      if (!agree) {
        said +=
            fmt::format(": the runs evaluated {} differently (another number of CPUs)", st.written);
      } else if (!st.value) {
        said += ": no figure";
      } else if (st.min && *st.value < *st.min) {
        said += fmt::format(", less than {}", fig(*st.min));
      } else if (st.max && *st.value > *st.max) {
        said += fmt::format(", more than {}", fig(*st.max));
      } else if (!st.min && !st.max) {
        said += ": its bound has no value";
      } else {
        st.passed = true;
        said += fmt::format(", within {}", st.written);
      }
      a.passed = a.passed && st.passed;
      text += "; " + said;
      a.stats.push_back(std::move(st));
    }
    a.explanation = std::move(text);
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace proclab
