// lab.measure's request to the lab. It travels as the checkpoint hypercall
// (os/hypercall.h) with a name no checkpoint can have, because the
// hypercall's dispatch lives in the supervisor: the lab then records a
// `value` event instead of a snapshot and lets the actor go on. A dedicated
// hypercall would carry it as well; this keeps the tracer untouched.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace proclab {

struct MeasureCall {
  pid_t pid = 0;
  std::string name;
  double value = 0;
};

// "\x01value\x01PID NAME VALUE"
std::string EncodeMeasure(const MeasureCall& m);
// nullopt for a real checkpoint name (or a malformed request).
std::optional<MeasureCall> DecodeMeasure(std::string_view text);
// Whether a checkpoint name would be read as a measure.
bool LooksLikeMeasure(std::string_view name);

}  // namespace proclab
