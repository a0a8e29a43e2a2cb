// Events in plain words, shared by the trace text, the explanations that
// expectations give, and every report: "SIGUSR1 3 → 2 handled".
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "runner/timeline/event.h"

namespace proclab {

// "7", or "lab (1)" for the lab's own pid.
std::string PidText(pid_t pid, pid_t lab_pid);
// A party as the trace shows it: a pid (see PidText), "kernel", "tty", "lab".
std::string PartyText(const Party& p, pid_t lab_pid);
// A command line as a shell would accept it back: words with spaces quoted.
std::string Argv(const std::vector<std::string>& argv);

// One event as a phrase, e.g. "SIGUSR1 3 → 2 handled".
std::string DescribeEvent(const Event& e, pid_t lab_pid);

// Printable, single-line form of program output: control characters escaped.
std::string QuoteOutput(const std::string& text, size_t max_len);

}  // namespace proclab
