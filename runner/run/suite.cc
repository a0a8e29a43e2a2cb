#include "runner/run/suite.h"

#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <deque>
#include <memory>

#include "runner/os/signal_fd.h"
#include "runner/results/repeat_judge.h"
#include "runner/run/cgroup_slots.h"

namespace proclab {

SuiteSummary RunSuite(const std::vector<const Scenario*>& scenarios, const SuiteOptions& options,
                      ResultSink& sink) {
  std::vector<SuiteItem> items;
  items.reserve(scenarios.size());
  for (const Scenario* s : scenarios) items.push_back({s, options.run});
  return RunSuite(items, options, sink);
}

SuiteSummary RunSuite(const std::vector<SuiteItem>& items, const SuiteOptions& options,
                      ResultSink& sink) {
  SuiteSummary outcome;
  std::deque<std::pair<const SuiteItem*, int>> queue;
  if (options.runs) {
    for (const auto& [index, attempt] : *options.runs) queue.emplace_back(&items[index], attempt);
  } else {
    for (int attempt = 0; attempt < options.repeat; ++attempt)
      for (const SuiteItem& item : items) queue.emplace_back(&item, attempt);
  }
  outcome.planned = queue.size();
  // Statistics across repeats are judged once all of a scenario's runs are
  // in; a shard makes only some of them, and `merge` judges them.
  RepeatJudge::Expected expected;
  if (!options.runs)
    for (const auto& [item, attempt] : queue)
      if (std::any_of(item->scenario->expectations.begin(), item->scenario->expectations.end(),
                      [](const Expectation& e) { return !e.Stats().empty(); }))
        ++expected[{item->run.subject, item->scenario->name}];
  RepeatJudge judge(sink, std::move(expected));
  judge.OnStart(queue.size());
  // Ctrl-C stops the suite, not proclab: running labs tear down and report.
  auto stop = os::BlockIntoSignalFd({SIGINT, SIGTERM, SIGHUP});
  std::vector<std::unique_ptr<ScenarioRun>> active;
  const int jobs = std::max(1, options.jobs);
  CgroupSlots cgroups(jobs);
  // ScenarioRun keeps a reference to its options: one copy per item, with
  // the job slots' cgroups.
  std::deque<RunOptions> run_options;
  for (const SuiteItem& item : items) {
    run_options.push_back(item.run);
    run_options.back().cgroups = &cgroups;
  }
  std::vector<bool> slot_busy(static_cast<size_t>(jobs), false);
  // A run that checks what it leaves outside its folder, without an account
  // of its own, runs alone: what another run's programs left in /tmp as the
  // same user would count as its own.
  // So does a run that measures time and CPU (`exclusive: true`, or a
  // `parallelism` expectation): another run beside it takes its CPUs.
  auto alone = [](const SuiteItem& item) {
    if (item.scenario->RunsAlone()) return true;
    return item.scenario->WatchesOutside() && !(item.run.slot_uid_base >= 0 && geteuid() == 0);
  };
  const ScenarioRun* alone_run = nullptr;
  auto finish = [&](size_t i) {
    if (active[i].get() == alone_run) alone_run = nullptr;
    ScenarioResult r = active[i]->Finish();
    slot_busy[static_cast<size_t>(active[i]->slot())] = false;
    ++outcome.runs;
    ++(r.passed ? outcome.passed : outcome.failed);
    outcome.internal_errors += r.internal_error;
    judge.OnResult(r);
    active.erase(active.begin() + static_cast<long>(i));
    // Labs are forked from this process, and every page it holds at a fork is
    // copied into the lab, its keepers, as soon as either side writes it: a
    // finished run's freed timeline goes back to the kernel before that.
    malloc_trim(0);
  };
  for (;;) {
    while (!outcome.interrupted && !queue.empty() && static_cast<int>(active.size()) < jobs &&
           !alone_run) {
      auto [item, attempt] = queue.front();
      if (alone(*item) && !active.empty()) break;
      queue.pop_front();
      const int slot = static_cast<int>(std::find(slot_busy.begin(), slot_busy.end(), false) -
                                        slot_busy.begin());
      slot_busy[static_cast<size_t>(slot)] = true;
      const RunOptions& item_options = run_options[static_cast<size_t>(item - items.data())];
      active.push_back(ScenarioRun::Start(*item->scenario, item_options, attempt, slot));
      if (alone(*item)) alone_run = active.back().get();
    }
    // Runs that failed before their lab started have nothing to wait for.
    for (size_t i = 0; i < active.size();)
      if (active[i]->fd() < 0)
        finish(i);
      else
        ++i;
    if (active.empty() && (queue.empty() || outcome.interrupted)) break;
    if (active.empty()) continue;
    std::vector<pollfd> fds;
    fds.reserve(active.size() + 1);
    for (const auto& run : active) fds.push_back({run->fd(), POLLIN, 0});
    fds.push_back({stop ? stop->get() : -1, POLLIN, 0});
    if (poll(fds.data(), fds.size(), -1) < 0) continue;
    if (fds.back().revents) {
      os::DrainSignalFd(fds.back().fd);
      outcome.interrupted = true;
      for (auto& run : active) run->Cancel();
    }
    for (size_t i = active.size(); i-- > 0;)
      if (fds[i].revents && !active[i]->Pump()) finish(i);
  }
  judge.OnEnd(outcome);
  outcome.across = judge.judged();
  outcome.across_failed = judge.failed();
  return outcome;
}

}  // namespace proclab
