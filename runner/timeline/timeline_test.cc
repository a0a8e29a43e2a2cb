#include "runner/timeline/timeline.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <string>
#include <vector>

namespace proclab {
namespace {

constexpr pid_t kLabPid = 1;

Event TimelineEvent(int64_t t, EventType type, pid_t pid) {
  Event e;
  e.t_us = t;
  e.type = type;
  e.pid = pid;
  return e;
}
Event Spawn(int64_t t, pid_t pid, std::vector<std::string> argv, std::string name) {
  Event e = TimelineEvent(t, EventType::kSpawn, pid);
  e.ppid = kLabPid;
  e.argv = std::move(argv);
  e.name = std::move(name);
  return e;
}
Event Fork(int64_t t, pid_t pid, pid_t parent, bool thread = false) {
  Event e = TimelineEvent(t, EventType::kFork, pid);
  e.parent = parent;
  e.thread = thread;
  return e;
}
Event Exec(int64_t t, pid_t pid, std::vector<std::string> argv, std::string name) {
  Event e = TimelineEvent(t, EventType::kExec, pid);
  e.argv = std::move(argv);
  e.name = std::move(name);
  return e;
}
Event Exit(int64_t t, pid_t pid, int code) {
  Event e = TimelineEvent(t, EventType::kExit, pid);
  e.code = code;
  return e;
}
Event Killed(int64_t t, pid_t pid, int sig, bool core) {
  Event e = TimelineEvent(t, EventType::kExit, pid);
  e.signaled = true;
  e.sig = sig;
  e.core = core;
  return e;
}
Event Reap(int64_t t, pid_t pid, Party by) {
  Event e = TimelineEvent(t, EventType::kReap, pid);
  e.by = by;
  return e;
}
Event Reparent(int64_t t, pid_t pid, pid_t from, pid_t to) {
  Event e = TimelineEvent(t, EventType::kReparent, pid);
  e.from = Party::Process(from);
  e.new_parent = to;
  return e;
}

std::vector<pid_t> Pids(const Timeline& t) {
  std::vector<pid_t> out;
  for (const auto& e : t.events()) out.push_back(e.pid);
  return out;
}

TEST(Timeline, AddKeepsTimeOrderWithStableTies) {
  Timeline t;
  t.Add(Exit(10, 1, 0));
  t.Add(Exit(20, 2, 0));
  t.Add(Exit(30, 3, 0));
  t.Add(Exit(20, 4, 0));  // earlier than the last: goes after the other 20
  t.Add(Exit(5, 5, 0));   // earliest: goes first
  t.Add(Exit(30, 6, 0));  // a tie with the last: appended
  t.Add(Exit(20, 7, 0));  // a third 20: after both earlier ones
  EXPECT_EQ(Pids(t), (std::vector<pid_t>{5, 1, 2, 4, 7, 3, 6}));
  // Negative control: late arrivals are not simply appended.
  EXPECT_NE(t.events().back().pid, 7);
}

TEST(Timeline, SpawnCreatesTheFirstRecord) {
  Timeline t;
  t.Add(Spawn(0, 2, {"sh", "-c", "true"}, "sh"));
  auto procs = t.Processes();
  ASSERT_EQ(procs.size(), 1u);
  EXPECT_EQ(procs[0].pid, 2);
  EXPECT_EQ(procs[0].ppid, kLabPid);
  EXPECT_EQ(procs[0].name, "sh");
  EXPECT_EQ(procs[0].argv, (std::vector<std::string>{"sh", "-c", "true"}));
  EXPECT_EQ(procs[0].start_us, 0);
  EXPECT_EQ(procs[0].first_event, 0u);
  EXPECT_FALSE(procs[0].exit);
  EXPECT_FALSE(procs[0].end_us);
  EXPECT_FALSE(procs[0].reaped_by);
  EXPECT_TRUE(Timeline().Processes().empty());
}

TEST(Timeline, ForkOfProcessVersusThread) {
  Timeline t;
  t.Add(Spawn(0, 2, {"prog"}, "prog"));
  t.Add(Fork(10, 3, 2, /*thread=*/true));
  t.Add(Fork(11, 4, 2, /*thread=*/true));
  t.Add(Fork(20, 5, 2, /*thread=*/false));
  auto procs = t.Processes();
  ASSERT_EQ(procs.size(), 2u);  // threads create no record
  EXPECT_EQ(procs[0].threads, 2);
  EXPECT_EQ(procs[1].pid, 5);
  EXPECT_EQ(procs[1].ppid, 2);
  EXPECT_EQ(procs[1].start_us, 20);
  EXPECT_EQ(procs[1].first_event, 3u);
  EXPECT_EQ(procs[1].threads, 0);
  // A forked child inherits its parent's name and argv.
  EXPECT_EQ(procs[1].name, "prog");
  EXPECT_EQ(procs[1].argv, std::vector<std::string>{"prog"});
  EXPECT_FALSE(t.Process(3));
}

TEST(Timeline, ExecUpdatesNameAndArgv) {
  Timeline t;
  t.Add(Spawn(0, 2, {"sh", "-c", "x"}, "sh"));
  t.Add(Fork(5, 3, 2));
  t.Add(Exec(6, 3, {"/bin/sleep", "1"}, "sleep"));
  t.Add(Fork(7, 4, 2));
  t.Add(Exec(8, 4, {"env"}, ""));  // no comm reported: the name stays
  auto procs = t.Processes();
  ASSERT_EQ(procs.size(), 3u);
  EXPECT_EQ(procs[0].name, "sh");  // the parent is untouched
  EXPECT_EQ(procs[1].name, "sleep");
  EXPECT_EQ(procs[1].argv, (std::vector<std::string>{"/bin/sleep", "1"}));
  EXPECT_EQ(procs[2].name, "sh");
  EXPECT_EQ(procs[2].argv, std::vector<std::string>{"env"});
}

TEST(Timeline, ExitAndReap) {
  Timeline t;
  t.Add(Spawn(0, 2, {"p"}, "p"));
  t.Add(Fork(1, 3, 2));
  t.Add(Fork(2, 4, 2));
  t.Add(Exit(100, 3, 7));
  t.Add(Reap(110, 3, Party::Process(2)));
  t.Add(Killed(200, 4, SIGSEGV, true));
  auto three = t.Process(3);
  ASSERT_TRUE(three && three->exit);
  EXPECT_EQ(three->end_us, 100);
  EXPECT_FALSE(three->exit->signaled);
  EXPECT_EQ(three->exit->code, 7);
  EXPECT_EQ(three->exit->Describe(), "exit 7");
  EXPECT_EQ(three->reaped_by, Party::Process(2));
  EXPECT_EQ(three->reaped_us, 110);

  auto four = t.Process(4);
  ASSERT_TRUE(four && four->exit);
  EXPECT_TRUE(four->exit->signaled);
  EXPECT_EQ(four->exit->sig, SIGSEGV);
  EXPECT_TRUE(four->exit->core);
  EXPECT_EQ(four->exit->Describe(), "killed by SIGSEGV (core dumped)");
  EXPECT_EQ(four->exit->ShellStatus(), 128 + SIGSEGV);
  EXPECT_FALSE(four->reaped_by);  // a zombie: never reaped

  auto two = t.Process(2);
  ASSERT_TRUE(two);
  EXPECT_FALSE(two->exit);
  EXPECT_FALSE(two->end_us);
}

TEST(Timeline, ExitStatusDescribe) {
  EXPECT_EQ((ExitStatus{false, 0, 0, false}).Describe(), "exit 0");
  EXPECT_EQ((ExitStatus{true, 0, SIGTERM, false}).Describe(), "killed by SIGTERM");
  EXPECT_EQ((ExitStatus{true, 0, SIGTERM, false}).ShellStatus(), 143);
  EXPECT_EQ((ExitStatus{false, 3, 0, false}).ShellStatus(), 3);
}

TEST(Timeline, ReparentRecordsAdoptions) {
  Timeline t;
  t.Add(Spawn(0, 2, {"p"}, "p"));
  t.Add(Fork(1, 3, 2));
  t.Add(Fork(2, 4, 3));
  t.Add(Exit(10, 3, 0));
  t.Add(Reparent(10, 4, 3, 2));
  t.Add(Exit(20, 2, 0));
  t.Add(Reparent(20, 4, 2, kLabPid));
  auto four = t.Process(4);
  ASSERT_TRUE(four);
  EXPECT_EQ(four->ppid, 3);  // the parent at birth does not change
  EXPECT_EQ(four->adoptions, (std::vector<std::pair<int64_t, pid_t>>{{10, 2}, {20, kLabPid}}));
  EXPECT_TRUE(t.Process(3)->adoptions.empty());
}

TEST(Timeline, KilledByLab) {
  Timeline t;
  t.Add(Spawn(0, 2, {"p"}, "p"));
  t.Add(Fork(1, 3, 2));
  Event k = TimelineEvent(50, EventType::kKilledByLab, 3);
  k.detail = "left over at the end of the run";
  t.Add(k);
  EXPECT_EQ(t.Process(3)->killed_by_lab, "left over at the end of the run");
  EXPECT_FALSE(t.Process(2)->killed_by_lab);
}

TEST(Timeline, EventsForUnknownPidsCreateNoRecord) {
  Timeline t;
  t.Add(Exit(1, 9, 0));
  t.Add(Reap(2, 9, Party::Lab()));
  t.Add(Exec(3, 9, {"x"}, "x"));
  t.Add(Fork(4, 10, 9, /*thread=*/true));
  EXPECT_TRUE(t.Processes().empty());
}

TEST(Timeline, PidReuseAfterReapIsANewRecord) {
  Timeline t;
  t.Add(Spawn(0, 2, {"p"}, "p"));
  t.Add(Fork(10, 5, 2));
  t.Add(Exec(12, 5, {"first"}, "first"));
  t.Add(Exit(20, 5, 1));
  t.Add(Reap(21, 5, Party::Process(2)));
  t.Add(Fork(30, 5, 2));
  t.Add(Exec(32, 5, {"second"}, "second"));
  auto procs = t.Processes();
  ASSERT_EQ(procs.size(), 3u);
  EXPECT_EQ(procs[1].name, "first");
  EXPECT_EQ(procs[2].name, "second");
  EXPECT_FALSE(procs[2].exit);  // the first life's exit is not inherited

  EXPECT_EQ(t.Process(5, 15)->name, "first");
  EXPECT_EQ(t.Process(5, 25)->name, "first");  // reaped, not yet reused
  EXPECT_EQ(t.Process(5, 30)->name, "second");
  EXPECT_EQ(t.Process(5, 99)->name, "second");
  EXPECT_EQ(t.Process(5)->name, "second");  // no time: the latest
  EXPECT_FALSE(t.Process(5, 9));            // before it existed
  EXPECT_FALSE(t.Process(77));
}

TEST(Timeline, ProcessesFollowTimeOrderNotArrivalOrder) {
  Timeline t;
  t.Add(Spawn(0, 2, {"p"}, "p"));
  t.Add(Exit(50, 3, 4));
  t.Add(Fork(10, 3, 2));  // arrives late, happened first
  auto three = t.Process(3);
  ASSERT_TRUE(three && three->exit);
  EXPECT_EQ(three->exit->code, 4);
  EXPECT_EQ(three->first_event, 1u);
}

}  // namespace
}  // namespace proclab
