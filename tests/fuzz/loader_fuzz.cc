// libFuzzer harness for the YAML scenario loader: any bytes must either load
// or give an Error that renders, never crash, hang or throw. The loader turns
// every parser exception into an Error at its boundary, so an exception that
// escapes ParseYamlScenario or RenderDiagnostic is a bug: we let it reach
// libFuzzer, which reports it as a crash (uncaught exception -> abort).
//
// Built by CMake with -DPROCLAB_FUZZ=ON (clang): see ci/test.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "runner/base/diagnostic.h"
#include "runner/scenario/yaml_front_end.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  proclab::Result<proclab::Scenario> r = proclab::ParseYamlScenario(text, "fuzz.yaml");
  if (!r.ok()) {
    // With the text given, RenderDiagnostic never touches the disk (a file
    // called fuzz.yaml in the working directory must not change the result),
    // except for an empty input, where there is no line to show anyway.
    std::string rendered = proclab::RenderDiagnostic(r.error(), text);
    if (rendered.empty()) __builtin_trap();  // every error says something
  }
  return 0;
}
