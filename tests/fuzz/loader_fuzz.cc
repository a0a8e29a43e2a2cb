// libFuzzer harness for the YAML scenario loader: any bytes must either load
// or give an Error that renders, never crash, hang or throw. The loader turns
// every parser exception into an Error at its boundary, so an exception that
// escapes ParseYamlScenario or RenderDiagnostic is a bug: we let it reach
// libFuzzer, which reports it as a crash (uncaught exception -> abort).
//
// Build by hand (the maintainer wires it into CMake under PROCLAB_FUZZ):
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address -I. -I/usr/include/lua5.4 \
//     -DPROCLAB_SOURCE_DIR='"'$PWD'"' tests/fuzz/loader_fuzz.cc \
//     runner/scenario/{yaml_loader,yaml_reader,yaml_actions,yaml_steps,yaml_expectations,validate,scenario}.cc
//     \
//     runner/base/{diagnostic,error,regex,signal_names,units}.cc runner/timeline/event.cc \
//     -lyaml-cpp -lfmt -lpcre2-8 -o /tmp/loader_fuzz
//   /tmp/loader_fuzz -max_total_time=60 tests/fuzz/corpus
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "runner/base/diagnostic.h"
#include "runner/scenario/yaml_loader.h"

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
