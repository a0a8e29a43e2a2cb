#include "runner/timeline/event.h"

#include <array>
#include <utility>

namespace proclab {
namespace {

constexpr std::array<std::pair<EventType, std::string_view>, 15> kTypeNames{{
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

}  // namespace proclab
