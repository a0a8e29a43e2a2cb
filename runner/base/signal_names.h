// Signal names as users write them: "SIGUSR1", "USR1" or "10"; printed as "SIGUSR1".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace proclab {

// "SIGUSR1" for 10, "SIGRTMIN+2" for real-time signals, "signal 99" for nonsense.
std::string SignalName(int sig);

// Accepts "SIGUSR1", "USR1", "sigusr1", "SIGRTMIN+2" and decimal numbers 1..64.
std::optional<int> ParseSignal(std::string_view text);

// True for signals whose default action terminates with a core dump.
bool SignalDefaultDumpsCore(int sig);
// True for SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU.
bool SignalDefaultStops(int sig);
// True for SIGCHLD, SIGCONT, SIGURG, SIGWINCH: default action is to do nothing.
bool SignalDefaultIgnored(int sig);

}  // namespace proclab
