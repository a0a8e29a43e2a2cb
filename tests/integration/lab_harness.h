// Helpers for integration tests: run a purpose-built tracee in a real lab and
// query the timeline it produced.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "runner/lab/lab_session.h"
#include "runner/timeline/timeline.h"

namespace proclab::testing {

std::string Tracee(const std::string& name);

// Runs tracees/NAME ARGS... in a lab with `isolation`; `tweak` may adjust the
// config. Fails the test (and returns an empty timeline) if the lab fails.
Timeline RunTracee(os::Isolation isolation, const std::string& name,
                   const std::vector<std::string>& args = {},
                   const std::function<void(LabConfig&)>& tweak = {});

// Runs any command the same way.
Timeline RunCommand(os::Isolation isolation, const std::vector<std::string>& argv,
                    const std::function<void(LabConfig&)>& tweak = {});

std::vector<Event> EventsOf(const Timeline& t, EventType type);
std::vector<Event> EventsOf(const Timeline& t, EventType type, pid_t pid);
// Processes (not threads) created by `parent`, in fork order.
std::vector<pid_t> ChildrenOf(const Timeline& t, pid_t parent);
ProcessRecord Record(const Timeline& t, pid_t pid);
// All output text of one stream, concatenated.
std::string OutputText(const Timeline& t, Stream stream = Stream::kStdout);
// The whole timeline in readable form, for failure messages.
std::string Dump(const Timeline& t);

// The isolation modes every behaviour is checked under.
std::vector<os::Isolation> Isolations();
std::string IsolationName(os::Isolation isolation);

}  // namespace proclab::testing
