#include "runner/timeline/describe.h"

#include <fmt/format.h>

#include <algorithm>

#include "runner/base/signal_names.h"
#include "runner/base/text.h"
#include "runner/timeline/timeline.h"

namespace proclab {

std::string PidText(pid_t pid, pid_t lab_pid) {
  return pid == lab_pid ? fmt::format("lab ({})", pid) : std::to_string(pid);
}

std::string PartyText(const Party& p, pid_t lab_pid) {
  if (p.kind == Party::kProcess) return PidText(p.pid, lab_pid);
  return p.ToString();
}

std::string Argv(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    bool plain = !a.empty() && a.find_first_of(" \t\n'\"\\$") == std::string::npos;
    const std::string shown = EscapeControls(a, false);  // shown, never obeyed
    out += plain ? shown : fmt::format("'{}'", shown);
  }
  return out;
}

std::string QuoteOutput(const std::string& text, size_t max_len) {
  std::string body = text;
  if (!body.empty() && body.back() == '\n') body.pop_back();
  std::string out;
  for (size_t i = 0; i < body.size();) {
    const unsigned char c = static_cast<unsigned char>(body[i]);
    // One character at a time, so shortening never splits an escape or a
    // UTF-8 sequence.
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    len = std::min(len, body.size() - i);
    std::string piece;
    if (c == '\t')
      piece = "\\t";
    else if (c == '\r')
      piece = "\\r";
    else if (c == '\n')
      piece = "\\n";
    else if (c < 0x20 || c == 0x7f)
      piece = fmt::format("\\x{:02x}", c);
    else
      piece = body.substr(i, len);
    if (out.size() + piece.size() > max_len) {
      out += fmt::format("… ({} bytes)", text.size());
      return out;
    }
    out += piece;
    i += piece.size() == len ? len : 1;
  }
  return out;
}

std::string DescribeEvent(const Event& e, pid_t lab_pid) {
  switch (e.type) {
    case EventType::kSpawn: return fmt::format("started by the lab: {}", Argv(e.argv));
    case EventType::kExec: return fmt::format("exec {}", Argv(e.argv));
    case EventType::kFork:
      return e.thread ? fmt::format("new thread {}", e.pid)
                      : fmt::format("{} → {}", e.via.empty() ? "fork" : e.via, e.pid);
    case EventType::kSignalSent: {
      std::string target = e.to_all     ? std::string("every process (kill -1)")
                           : e.to_group ? fmt::format("process group {}", e.to_group)
                                        : PidText(e.to, lab_pid);
      std::string text = fmt::format("sends {} → {}", SignalName(e.sig), target);
      if (!e.via.empty() && e.via != "kill") text += fmt::format(" ({})", e.via);
      if (!e.error.empty()) text += fmt::format(" — failed: {}", e.error);
      return text;
    }
    case EventType::kSignalDelivered:
      return fmt::format("{} {} → {} {}", SignalName(e.sig), PartyText(e.from, lab_pid), e.pid,
                         OutcomeName(e.outcome));
    case EventType::kStop: return fmt::format("stopped ({})", SignalName(e.sig));
    case EventType::kContinue: return "continued";
    case EventType::kOutput:
      return fmt::format("{}: {}", StreamName(e.stream), QuoteOutput(e.text, 160));
    case EventType::kExit: return ExitStatus{e.signaled, e.code, e.sig, e.core}.Describe();
    case EventType::kReap:
      if (e.by.kind == Party::kKernel) return "reaped automatically (parent ignores SIGCHLD)";
      return fmt::format("reaped by {}", PartyText(e.by, lab_pid));
    case EventType::kReparent:
      return fmt::format("orphaned by {}, adopted by {}", PartyText(e.from, lab_pid),
                         PidText(e.new_parent, lab_pid));
    case EventType::kCheckpoint:
      return fmt::format("checkpoint '{}' ({} processes)", e.name, e.processes.size());
    case EventType::kLimit: return fmt::format("limit {}: {}", e.kind, e.detail);
    case EventType::kKilledByLab: return fmt::format("killed by the lab: {}", e.detail);
    case EventType::kActor: return fmt::format("runs actor '{}'", e.name);
    case EventType::kValue: return fmt::format("measured {} = {}", e.name, e.value);
    case EventType::kSample: return fmt::format("CPU of {} processes sampled", e.cpu.size());
  }
  return "?";
}

}  // namespace proclab
