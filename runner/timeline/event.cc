#include "runner/timeline/event.h"

#include <array>
#include <utility>

namespace proclab {
namespace {

constexpr std::array<std::pair<EventType, std::string_view>, 17> kTypeNames{{
    {EventType::kSpawn, "spawn"},
    {EventType::kExec, "exec"},
    {EventType::kFork, "fork"},
    {EventType::kSignalSent, "signal_sent"},
    {EventType::kSignalDelivered, "signal_delivered"},
    {EventType::kStop, "stop"},
    {EventType::kContinue, "continue"},
    {EventType::kOutput, "output"},
    {EventType::kExit, "exit"},
    {EventType::kReap, "reap"},
    {EventType::kReparent, "reparent"},
    {EventType::kCheckpoint, "checkpoint"},
    {EventType::kLimit, "limit"},
    {EventType::kKilledByLab, "killed_by_lab"},
    {EventType::kActor, "actor"},
    {EventType::kValue, "value"},
    {EventType::kSample, "sample"},
}};

constexpr std::array<std::pair<Outcome, std::string_view>, 6> kOutcomeNames{{
    {Outcome::kNone, "none"},
    {Outcome::kHandled, "handled"},
    {Outcome::kIgnored, "ignored"},
    {Outcome::kKilled, "killed"},
    {Outcome::kStopped, "stopped"},
    {Outcome::kContinued, "continued"},
}};

}  // namespace

std::string_view EventTypeName(EventType type) {
  for (const auto& [t, name] : kTypeNames)
    if (t == type) return name;
  return "?";
}

std::optional<EventType> ParseEventType(std::string_view name) {
  for (const auto& [t, n] : kTypeNames)
    if (n == name) return t;
  return std::nullopt;
}

std::string Party::ToString() const {
  switch (kind) {
    case kProcess: return std::to_string(pid);
    case kKernel: return "kernel";
    case kTty: return "tty";
    case kLab: return "lab";
    default: return "unknown";
  }
}

std::string_view OutcomeName(Outcome outcome) {
  for (const auto& [o, name] : kOutcomeNames)
    if (o == outcome) return name;
  return "?";
}

std::optional<Outcome> ParseOutcome(std::string_view name) {
  for (const auto& [o, n] : kOutcomeNames)
    if (n == name) return o;
  return std::nullopt;
}

std::string_view StreamName(Stream stream) {
  return stream == Stream::kStdout ? "stdout" : "stderr";
}

pid_t DoneBy(const Event& e) {
  switch (e.type) {
    case EventType::kFork: return e.parent;
    case EventType::kSignalSent: return e.from.kind == Party::kProcess ? e.from.pid : 0;
    case EventType::kReap: return e.by.kind == Party::kProcess ? e.by.pid : 0;
    case EventType::kCheckpoint:
    case EventType::kReparent:
    case EventType::kKilledByLab: return 0;
    default: return e.pid;
  }
}

namespace {

// Heap bytes a string holds beyond its own struct (none while it fits the
// small-string buffer, which never holds more than its capacity).
size_t HeapOf(const std::string& s) {
  return s.capacity() > std::string().capacity() ? s.capacity() + 1 : 0;
}

}  // namespace

size_t Footprint(const Event& e) {
  size_t n = sizeof(Event) + HeapOf(e.via) + HeapOf(e.error) + HeapOf(e.text) + HeapOf(e.name) +
             HeapOf(e.kind) + HeapOf(e.detail);
  n += e.argv.capacity() * sizeof(std::string);
  for (const auto& a : e.argv) n += HeapOf(a);
  n += e.processes.capacity() * sizeof(ProcessSnapshot);
  for (const auto& p : e.processes) {
    n += HeapOf(p.name) + HeapOf(p.syscall) + HeapOf(p.wchan) + HeapOf(p.file);
    n += p.pipe_writers.capacity() * sizeof(pid_t) + p.locks.capacity() * sizeof(FileLock);
    for (const auto& l : p.locks) n += HeapOf(l.file) + HeapOf(l.kind);
  }
  if (e.usage) n += sizeof(Usage) + e.usage->threads.capacity() * sizeof(ThreadUsage);
  n += e.cpu.capacity() * sizeof(CpuReading);
  return n;
}

}  // namespace proclab
