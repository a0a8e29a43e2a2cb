#include "runner/run/contained_judge.h"

#include <nlohmann/json.hpp>

#include "runner/expect/context.h"
#include "runner/os/contained_call.h"

namespace proclab {

Verdict ContainedJudge::Judge(const Scenario& s, const Expectation& e, const Timeline& t) const {
  auto answer = os::ContainedCall(
      [&] {
        const Verdict v = inner_.Judge(s, e, t);
        return nlohmann::json{{"passed", v.passed},
                              {"skipped", v.skipped},
                              {"explanation", v.explanation},
                              {"evidence", v.evidence}}
            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      },
      limit_us_);
  if (!answer) return expect::Fail(e, "the expectation's code stopped: " + answer.error().message);
  const auto j = nlohmann::json::parse(*answer, nullptr, false);
  if (!j.is_object() || !j.value("passed", nlohmann::json()).is_boolean())
    return expect::Fail(e, "the expectation's code gave no verdict");
  Verdict v = j.value("passed", false) ? expect::Pass(e, j.value("explanation", ""))
                                       : expect::Fail(e, j.value("explanation", ""));
  v.skipped = j.value("skipped", false);
  // Indices into `t`, which the copy judged too; anything else is dropped.
  std::vector<size_t> evidence;
  for (const auto& i : j.value("evidence", nlohmann::json::array()))
    if (i.is_number_unsigned() && i.get<size_t>() < t.events().size())
      evidence.push_back(i.get<size_t>());
  expect::AddEvidence(&v.evidence, evidence);
  return v;
}

}  // namespace proclab
