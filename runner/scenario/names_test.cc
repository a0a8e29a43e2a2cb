// Names mean processes, not bare pids: a pid reused after its first holder
// was reaped belongs to another process, with another name (or none).
#include "runner/scenario/names.h"

#include <gtest/gtest.h>

#include "runner/expect/test_timelines.h"

namespace proclab {
namespace {

using expect_test::Tl;

// main (2) forks a child (3), which exits and is reaped; then main's helper
// (4) forks a process that gets pid 3 again: main's grandchild, so not the
// "child" role. Both pid-3 processes write a line.
Timeline Reuse() {
  Tl tl;
  tl.Spawn(0, 2, "prog").Fork(1'000, 3, 2).Output(2'000, 3, "first\n");
  tl.Exit(3'000, 3, 0).Reap(3'100, 3, Party::Process(2));
  tl.Fork(4'000, 4, 2).Fork(5'000, 3, 4).Output(6'000, 3, "second\n");
  tl.Exit(7'000, 3, 0).Reap(7'100, 3, Party::Process(4));
  tl.Exit(8'000, 4, 0).Reap(8'100, 4, Party::Process(2)).Exit(9'000, 2, 0);
  return std::move(tl.Reap(9'100, 2, Party::Process(1)).End(10'000).t);
}

Scenario Roles() {
  Scenario s;
  s.program = {"prog"};
  s.roles = {expect_test::MainRole("main"), expect_test::ChildRole("child", "main", 1),
             expect_test::ChildRole("helper", "main", 2)};
  return s;
}

TEST(Names, AReusedPidIsAnotherProcess) {
  const Timeline t = Reuse();
  const Scenario s = Roles();
  Names names(s, t);
  ASSERT_EQ(names.records().size(), 4u);
  EXPECT_EQ(names.records()[1].pid, 3);
  EXPECT_EQ(names.records()[3].pid, 3);
  EXPECT_NE(names.records()[1].id, names.records()[3].id);
  auto child = names.ResolveRecords("child");
  ASSERT_EQ(child.size(), 1u);
  EXPECT_EQ(child[0]->id, names.records()[1].id);
  const auto& events = t.events();
  size_t second = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].type != EventType::kOutput) continue;
    const bool first = events[i].text == "first\n";
    if (!first) second = i;
    EXPECT_EQ(names.Means("child", 3, i), first) << events[i].text;
  }
  // The helper's child (the second pid 3) has no name of its own.
  ASSERT_NE(names.RecordAt(3, second), nullptr);
  EXPECT_EQ(names.NameOf(*names.RecordAt(3, second)), "");
  EXPECT_EQ(names.Label(*names.RecordAt(3, second)), "pid 3 (prog)");
}

}  // namespace
}  // namespace proclab
