// One grammar names an event of a run wherever a scenario needs one: the
// entries of `order:` today, and the `after:` qualifiers and the bounds of
// timing windows that build on it. docs/design.md §3.12 is its reference:
//
//   exit X | reap X | fork X | exec X | checkpoint NAME
//   signal SIG [from S] [to X] | output "RE" [by X]
//   … optionally followed by #N: the N-th occurrence instead of the default
//
// Finding the event a name denotes in a timeline is the judge's business
// (expect/event_match.h); this is only the name.
#pragma once

#include <string>
#include <string_view>

#include "runner/base/error.h"

namespace proclab {

struct EventName {
  // kKey ("key ctrl-c") names the moments the lab pressed a key: only
  // `after:` accepts it, since a key press is a step, not a timeline event.
  enum class Kind { kExit, kFork, kReap, kSignal, kOutput, kCheckpoint, kExec, kKey };
  Kind kind = Kind::kExit;
  SourceLoc loc;
  std::string text;     // as written, for messages
  std::string process;  // exit/fork/reap/exec subject, signal receiver, output writer ("" = anyone)
  std::string from;     // signal sender: a name, "lab", "tty" or "kernel" ("" = anyone)
  int sig = 0;
  std::string pattern;  // output
  std::string name;     // checkpoint; key: ctrl-c, ctrl-backslash, ctrl-z or ctrl-d
  int nth = 0;          // "#N": the N-th occurrence (1-based); 0: the default one
};

// Parses one event name. The error message says what is wrong; its location
// is the caller's to give.
Result<EventName> ParseEventName(std::string_view text);

}  // namespace proclab
