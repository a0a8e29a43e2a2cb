// lab.measure's request to the lab, the text of its hypercall
// (os/hypercall.h, kMeasure): "NAME NUMBER". The caller's pid is the
// tracer's to tell, not the request's.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace proclab {

struct MeasureCall {
  std::string name;
  double value = 0;
};

std::string EncodeMeasure(const MeasureCall& m);
// nullopt unless `text` is a name, a space and a finite number.
std::optional<MeasureCall> DecodeMeasure(std::string_view text);

}  // namespace proclab
