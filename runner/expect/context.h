// What every check needs: the scenario, the timeline, the names, and the
// phrases that describe what happened to a process.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "runner/expect/verdict.h"
#include "runner/scenario/names.h"
#include "runner/scenario/scenario.h"
#include "runner/timeline/timeline.h"

namespace proclab::expect {

struct Context {
  const Scenario& scenario;
  const Timeline& timeline;
  const Names& names;

  // "at 0.312s"
  static std::string At(int64_t t_us);
  // How `pid` ended: "exited with code 7 at 0.200s", "was killed by SIGINT
  // from the terminal at 0.310s", "was still running when the lab killed it
  // (timeout)".
  [[nodiscard]] std::string Fate(pid_t pid) const;
  // The delivery that killed `pid`, if a signal did.
  [[nodiscard]] std::optional<Event> KillingDelivery(pid_t pid) const;
  [[nodiscard]] std::optional<Event> FirstDelivery(pid_t pid, int sig) const;
  [[nodiscard]] std::optional<Event> LastStop(pid_t pid) const;
  [[nodiscard]] std::string StopSender(pid_t pid, int sig) const;
  // Whether `pid` runs a Python interpreter (by its name after exec), whose
  // default SIGINT disposition is a handler raising KeyboardInterrupt.
  [[nodiscard]] bool RunsPython(pid_t pid) const;
  [[nodiscard]] std::string MemoryHint(const ProcessRecord& rec) const;
  // Who really sent the signal that killed `pid`: past a re-raise, the
  // original sender.
  [[nodiscard]] std::optional<Party> OriginalSender(pid_t pid) const;
  // "no process is called 'x'" with what does exist, for a name that
  // resolves to nothing.
  [[nodiscard]] std::string ChildrenThatDidNotMatch(const Role& role) const;
  [[nodiscard]] std::string Missing(const std::string& name) const;
  // Whether `p` is `who` ("lab", "tty", "kernel" or a name; "" is anyone).
  // With `index`, a process is the one that held its pid at that event.
  [[nodiscard]] bool PartyIs(const Party& p, const std::string& who, size_t index = SIZE_MAX) const;
  [[nodiscard]] const Event* FindCheckpoint(const std::string& name) const;
  [[nodiscard]] std::optional<size_t> CheckpointIndex(const std::string& name) const;

  // Evidence (Verdict::evidence). The events of `pid` (its latest process)
  // of these types, from its birth to its reap, in order.
  [[nodiscard]] std::vector<size_t> EventsOf(pid_t pid,
                                             std::initializer_list<EventType> types) const;
  // How `pid` ended: the delivery that killed it, a stop it never left, the
  // lab's kill, its exit and its reap; its birth when it never ended.
  [[nodiscard]] std::vector<size_t> EndOf(pid_t pid) const;
};

// Evidence is kept sorted, without repeats, and at most this long: a verdict
// about a flood points at its first events, not at all of them.
constexpr size_t kMaxEvidence = 64;
void AddEvidence(std::vector<size_t>* to, const std::vector<size_t>& more);

Verdict Pass(const Expectation& e, std::string why, const std::vector<size_t>& evidence = {});
Verdict Fail(const Expectation& e, std::string why, const std::vector<size_t>& evidence = {});

// Checks, one family per file.
Verdict CheckExit(const Context& c, const Expectation& e);
// output or signal with `after:` (check_after.cc)
Verdict CheckAfter(const Context& c, const Expectation& e);
Verdict CheckKilled(const Context& c, const Expectation& e);
Verdict CheckState(const Context& c, const Expectation& e);
Verdict CheckParent(const Context& c, const Expectation& e);
Verdict CheckReaped(const Context& c, const Expectation& e);
Verdict CheckPid(const Context& c, const Expectation& e);
Verdict CheckDuration(const Context& c, const Expectation& e);
Verdict CheckSignal(const Context& c, const Expectation& e);
Verdict CheckNoSignal(const Context& c, const Expectation& e);
Verdict CheckOutput(const Context& c, const Expectation& e);
Verdict CheckNoOutput(const Context& c, const Expectation& e);
Verdict CheckOrder(const Context& c, const Expectation& e);
Verdict CheckProcesses(const Context& c, const Expectation& e);
Verdict CheckNoLeaks(const Context& c, const Expectation& e);
Verdict CheckNoZombies(const Context& c, const Expectation& e);
Verdict CheckFiles(const Context& c, const Expectation& e);

}  // namespace proclab::expect
