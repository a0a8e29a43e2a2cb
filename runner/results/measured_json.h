// A verdict's timing figure (`measured`, design.md §3.10.4) as JSON: the
// json report writes it, `merge` reads it back, and grading's cache keeps
// it, so that statistics across repeats are judged again from it.
#pragma once

#include <nlohmann/json.hpp>

#include "runner/expect/verdict.h"

namespace proclab {

nlohmann::json MeasuredToJson(const Measured& m);
// Throws nlohmann::json::exception when it is not what MeasuredToJson writes.
Measured MeasuredFromJson(const nlohmann::json& j);

}  // namespace proclab
