#include "runner/expect/stat_bounds.h"

#include <fmt/format.h>

#include <cmath>

#include "runner/expect/cpu_figures.h"

namespace proclab::expect {

void AttachStatBounds(const Context& c, const Expectation& e, Verdict* v) {
  if (e.Stats().empty()) {
    v->measured.reset();
    return;
  }
  if (!v->measured) v->measured = Measured{};
  // duration and cpu are in seconds, parallelism a ratio, rss bytes: the
  // check that set the figure said which; a run without one says by kind.
  if (!v->measured->value)
    v->measured->unit = e.kind == Expectation::Kind::kRss           ? "B"
                        : e.kind == Expectation::Kind::kParallelism ? ""
                                                                    : "s";
  const int cpus = GrantedCpus(c.timeline);
  auto lookup = [&](const std::string&) { return static_cast<double>(cpus); };
  std::string written;
  for (const StatBound& b : e.Stats()) {
    Measured::Stat st;
    st.stat = RepeatStatName(b.stat);
    st.written = b.Describe();
    for (const auto* x : {&b.min, &b.max}) {
      if (!*x) continue;
      if ((*x)->uses("cpus") && cpus == 0) {
        v->passed = false;
        v->explanation += fmt::format(
            "; {}: the trace does not say how many CPUs the run had, so 'cpus' has no value",
            st.written);
        continue;
      }
      const double value = (*x)->Eval(lookup);
      if (!std::isfinite(value)) continue;
      (x == &b.min ? st.min : st.max) = value;
    }
    written += (written.empty() ? "" : ", ") + st.written;
    v->measured->stats.push_back(std::move(st));
  }
  v->explanation += fmt::format("; across the repeats it is judged by {}", written);
}

}  // namespace proclab::expect
