#include "tests/integration/lab_harness.h"

#include <gtest/gtest.h>

#include "reports/trace_text.h"

namespace proclab::testing {

std::string Tracee(const std::string& name) { return std::string(PROCLAB_TRACEE_DIR) + "/" + name; }

Timeline RunTracee(os::Isolation isolation, const std::string& name,
                   const std::vector<std::string>& args,
                   const std::function<void(LabConfig&)>& tweak) {
  std::vector<std::string> argv = {Tracee(name)};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(isolation, argv, tweak);
}

Timeline RunCommand(os::Isolation isolation, const std::vector<std::string>& argv,
                    const std::function<void(LabConfig&)>& tweak) {
  LabConfig config;
  config.argv = argv;
  config.isolation = isolation;
  config.timeout_us = 20'000'000;  // a backstop: no test should come near it
  config.linger_us = 500'000;
  if (tweak) tweak(config);
  auto t = RunLab(config);
  if (!t.ok()) {
    ADD_FAILURE() << "lab did not start: " << t.error().message;
    return {};
  }
  EXPECT_EQ(t->summary.lab_error, "") << Dump(*t);
  return std::move(*t);
}

std::vector<Event> EventsOf(const Timeline& t, EventType type) {
  std::vector<Event> out;
  for (const auto& e : t.events())
    if (e.type == type) out.push_back(e);
  return out;
}

std::vector<Event> EventsOf(const Timeline& t, EventType type, pid_t pid) {
  std::vector<Event> out;
  for (const auto& e : t.events())
    if (e.type == type && e.pid == pid) out.push_back(e);
  return out;
}

std::vector<pid_t> ChildrenOf(const Timeline& t, pid_t parent) {
  std::vector<pid_t> out;
  for (const auto& e : t.events())
    if (e.type == EventType::kFork && !e.thread && e.parent == parent) out.push_back(e.pid);
  return out;
}

ProcessRecord Record(const Timeline& t, pid_t pid) {
  auto rec = t.Process(pid);
  EXPECT_TRUE(rec.has_value()) << "no process " << pid << "\n" << Dump(t);
  return rec.value_or(ProcessRecord{});
}

std::string OutputText(const Timeline& t, Stream stream) {
  std::string out;
  for (const auto& e : t.events())
    if (e.type == EventType::kOutput && e.stream == stream) out += e.text;
  return out;
}

std::string Dump(const Timeline& t) { return RenderTraceText(t); }

std::vector<os::Isolation> Isolations() {
  return {os::Isolation::kPidNamespace, os::Isolation::kSubreaper};
}

std::string IsolationName(os::Isolation isolation) {
  return isolation == os::Isolation::kPidNamespace ? "PidNamespace" : "Subreaper";
}

}  // namespace proclab::testing
