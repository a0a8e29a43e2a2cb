#include "runner/base/signal_names.h"

#include <fmt/format.h>
#include <signal.h>
#include <string.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace proclab {
namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::optional<int> ParseInt(std::string_view s) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string SignalName(int sig) {
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
    if (sig == SIGRTMIN) return "SIGRTMIN";
    return fmt::format("SIGRTMIN+{}", sig - SIGRTMIN);
  }
  if (const char* abbrev = sigabbrev_np(sig)) return fmt::format("SIG{}", abbrev);
  // glibc's own signals (32, 33) have no name; keep the number parseable.
  if (sig > 0 && sig < SIGRTMIN) return fmt::format("SIG{}", sig);
  return fmt::format("signal {}", sig);
}

std::optional<int> ParseSignal(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(text[0]))) {
    auto n = ParseInt(text);
    if (!n || *n < 1 || *n > SIGRTMAX) return std::nullopt;
    return n;
  }
  std::string name = Upper(text);
  if (name.rfind("SIG", 0) == 0) name.erase(0, 3);
  if (!name.empty() && std::isdigit(static_cast<unsigned char>(name[0]))) {
    auto n = ParseInt(name);
    if (!n || *n < 1 || *n > SIGRTMAX) return std::nullopt;
    return n;
  }
  if (name.rfind("RTMIN", 0) == 0) {
    if (name.size() == 5) return SIGRTMIN;
    if (name[5] != '+') return std::nullopt;
    auto n = ParseInt(std::string_view(name).substr(6));
    if (!n || *n < 0 || SIGRTMIN + *n > SIGRTMAX) return std::nullopt;
    return SIGRTMIN + *n;
  }
  if (name == "RTMAX") return SIGRTMAX;
  for (int sig = 1; sig < SIGRTMIN; ++sig) {
    const char* abbrev = sigabbrev_np(sig);
    if (abbrev && name == abbrev) return sig;
  }
  return std::nullopt;
}

bool SignalDefaultDumpsCore(int sig) {
  switch (sig) {
    case SIGQUIT:
    case SIGILL:
    case SIGTRAP:
    case SIGABRT:
    case SIGBUS:
    case SIGFPE:
    case SIGSEGV:
    case SIGSYS:
    case SIGXCPU:
    case SIGXFSZ: return true;
    default: return false;
  }
}

bool SignalDefaultStops(int sig) {
  return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

bool SignalDefaultIgnored(int sig) {
  return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH;
}

}  // namespace proclab
