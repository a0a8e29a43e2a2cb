// state, parent, reaped: what a process was at a checkpoint, who its parent
// was, and who collected its exit status.
#include <gtest/gtest.h>
#include <signal.h>

#include "runner/expect/test_timelines.h"

namespace proclab::expect_test {
namespace {

// parent (2) forks child (3); child exits at 50ms; checkpoint "zombie-visible"
// at 300ms; the parent reaps the child at `reap_us` (0: never) and exits at 400ms.
Tl Zombie(int64_t reap_us = 310'000) {
  Tl tl;
  tl.Spawn(0, 2)
      .Actor(0, 2, "parent")
      .Fork(1'000, 3, 2)
      .Actor(1'000, 3, "child")
      .Exit(50'000, 3, 7);
  std::vector<ProcessSnapshot> snaps{Snap(2, kLab, 'S')};
  if (reap_us == 0 || reap_us > 300'000) snaps.push_back(Snap(3, 2, 'Z'));
  if (reap_us) tl.Reap(reap_us, 3, Party::Process(2));
  tl.Checkpoint(300'000, "zombie-visible", snaps);
  tl.Exit(400'000, 2, 0).Reap(401'000, 2, Party::Process(kLab));
  if (reap_us == 0) tl.Reap(401'000, 3, Party::Process(kLab));  // the lab inherits the zombie
  return std::move(tl.End(500'000));
}

// parent (2) forks child (3) and exits at 100ms without waiting; the lab
// adopts and later reaps the child. A checkpoint "adopted" at 200ms.
Tl Orphan(bool adopted = true) {
  Tl tl;
  tl.Spawn(0, 2).Actor(0, 2, "parent").Fork(1'000, 3, 2).Actor(1'000, 3, "child");
  if (adopted) {
    tl.Exit(100'000, 2, 0).Reparent(100'010, 3, 2, kLab).Reap(100'020, 2, Party::Process(kLab));
    tl.Checkpoint(200'000, "adopted", {Snap(3, kLab, 'S')});
    tl.Exit(500'000, 3, 0).Reap(500'010, 3, Party::Process(kLab));
  } else {
    tl.Checkpoint(200'000, "adopted", {Snap(2, kLab, 'S'), Snap(3, 2, 'S')});
    tl.Exit(500'000, 3, 0).Reap(500'010, 3, Party::Process(2)).Exit(600'000, 2, 0);
    tl.Reap(600'010, 2, Party::Process(kLab));
  }
  return std::move(tl.End(700'000));
}

Expectation StateExp(const std::string& process, const std::string& at, const std::string& is) {
  Expectation e = Exp(K::kState, process);
  e.at = at;
  e.is = is;
  return e;
}

Expectation ParentExp(const std::string& process, const std::string& is,
                      const std::string& at = "") {
  Expectation e = Exp(K::kParent, process);
  e.is = is;
  e.at = at;
  return e;
}

Expectation ReapedExp(const std::string& process, const std::string& by) {
  Expectation e = Exp(K::kReaped, process);
  e.by = by;
  return e;
}

const Scenario kActors = Actors({"parent", "child"});

// state --------------------------------------------------------------------

TEST(ExpectStateTest, PassesForAZombieAtTheCheckpoint) {
  Verdict v = JudgeOne(kActors, Zombie().t, StateExp("child", "zombie-visible", "zombie"));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_EQ(v.expectation, "state: {process: child, at: zombie-visible, is: zombie}");
  EXPECT_TRUE(Has(v.explanation,
                  "at checkpoint 'zombie-visible' (at 0.300s) child (pid 3) was zombie (Z)"));
}

TEST(ExpectStateTest, FailsWhenReapedBeforeTheCheckpointAndSaysByWhom) {
  Verdict v = JudgeOne(kActors, Zombie(/*reap_us=*/60'000).t,
                       StateExp("child", "zombie-visible", "zombie"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "child (pid 3) was gone (already reaped)")) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "it had been reaped by parent (pid 2) at 0.060s, not zombie"));
}

TEST(ExpectStateTest, OtherStates) {
  Tl tl;
  tl.Spawn(0, 2)
      .Actor(0, 2, "parent")
      .Fork(1'000, 3, 2)
      .Actor(1'000, 3, "child")
      .Checkpoint(100'000, "cp", {Snap(2, kLab, 'R'), Snap(3, 2, 'T')})
      .End(200'000);
  EXPECT_TRUE(JudgeOne(kActors, tl.t, StateExp("child", "cp", "stopped")).passed);
  EXPECT_TRUE(JudgeOne(kActors, tl.t, StateExp("parent", "cp", "running")).passed);
  Verdict v = JudgeOne(kActors, tl.t, StateExp("child", "cp", "sleeping"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "child (pid 3) was stopped (T), not sleeping")) << Show(v);
}

TEST(ExpectStateTest, FailsWhenTheProcessDidNotExistYet) {
  Tl tl;
  tl.Spawn(0, 2)
      .Actor(0, 2, "parent")
      .Checkpoint(100'000, "early", {Snap(2, kLab, 'S')})
      .Fork(150'000, 3, 2)
      .Actor(150'000, 3, "child")
      .Exit(200'000, 3, 0)
      .End(300'000);
  Verdict v = JudgeOne(kActors, tl.t, StateExp("child", "early", "gone"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(
      Has(v.explanation, "child (pid 3) did not exist yet at checkpoint 'early' (at 0.100s)"))
      << Show(v);
}

TEST(ExpectStateTest, FailsWhenTheCheckpointWasNeverTaken) {
  Verdict v = JudgeOne(kActors, Zombie().t, StateExp("child", "after-wait", "gone"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(
      Has(v.explanation, "checkpoint 'after-wait' was never taken — the run never reached it"))
      << Show(v);
}

TEST(ExpectStateTest, FailsForAProcessThatNeverExisted) {
  Verdict v = JudgeOne(Actors({"parent", "child", "grandchild"}), Zombie().t,
                       StateExp("grandchild", "zombie-visible", "zombie"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "no process was ever called 'grandchild'")) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "processes that did exist: parent, child"));
}

// parent -------------------------------------------------------------------

TEST(ExpectParentTest, PassesWhenTheLabAdoptedTheOrphan) {
  Verdict v = JudgeOne(kActors, Orphan().t, ParentExp("child", "lab"));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "child (pid 3)'s parent in the end was the lab (pid 1)"));
  EXPECT_TRUE(Has(v.explanation, "(born to parent (pid 2), adopted by the lab (pid 1) at 0.100s)"));
}

TEST(ExpectParentTest, FailsWhenNeverOrphaned) {
  Verdict v = JudgeOne(kActors, Orphan(/*adopted=*/false).t, ParentExp("child", "lab"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "child (pid 3)'s parent in the end was parent (pid 2)"))
      << Show(v);
  EXPECT_TRUE(Lacks(v.explanation, "adopted"));
}

TEST(ExpectParentTest, AtACheckpoint) {
  Verdict v = JudgeOne(kActors, Orphan().t, ParentExp("child", "lab", "adopted"));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(
      Has(v.explanation, "child (pid 3)'s parent at checkpoint 'adopted' was the lab (pid 1)"));
  v = JudgeOne(kActors, Orphan(false).t, ParentExp("child", "lab", "adopted"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(
      Has(v.explanation, "child (pid 3)'s parent at checkpoint 'adopted' was parent (pid 2)"))
      << Show(v);
  // The parent itself is not in the "adopted" snapshot: it had exited.
  v = JudgeOne(kActors, Orphan().t, ParentExp("parent", "lab", "adopted"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "parent (pid 2) was not alive at checkpoint 'adopted'"))
      << Show(v);
  v = JudgeOne(kActors, Orphan().t, ParentExp("child", "lab", "nowhere"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "checkpoint 'nowhere' was never taken")) << Show(v);
}

TEST(ExpectParentTest, FailsWhenTheWantedParentNeverExisted) {
  Verdict v =
      JudgeOne(Actors({"parent", "child", "reaper"}), Orphan().t, ParentExp("child", "reaper"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "no process was ever called 'reaper'")) << Show(v);
}

// reaped -------------------------------------------------------------------

TEST(ExpectReapedTest, PassesWhenTheParentWaited) {
  Verdict v = JudgeOne(kActors, Zombie().t, ReapedExp("child", "parent"));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation,
                  "child (pid 3) exited with code 7 at 0.050s; it was reaped by parent (pid 2) "
                  "at 0.310s"));
}

TEST(ExpectReapedTest, FailsWhenTheLabHadToReapIt) {
  Verdict v = JudgeOne(kActors, Orphan().t, ReapedExp("child", "parent"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "it was reaped by the lab (pid 1) at 0.500s after parent (pid 2) exited "
                  "without waiting for it, not by parent"))
      << Show(v);
  v = JudgeOne(kActors, Orphan().t, ReapedExp("child", "lab"));
  EXPECT_TRUE(v.passed) << Show(v);
}

TEST(ExpectReapedTest, FailsWhenNeverReaped) {
  Tl tl;
  tl.Spawn(0, 2)
      .Actor(0, 2, "parent")
      .Fork(1'000, 3, 2)
      .Actor(1'000, 3, "child")
      .Exit(50'000, 3, 0)
      .End(5'000'000);
  Verdict v = JudgeOne(kActors, tl.t, ReapedExp("child", "parent"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "child (pid 3) exited with code 0 at 0.050s and was never reaped"))
      << Show(v);
  v = JudgeOne(kActors,
               Tl().Spawn(0, 2).Actor(0, 2, "parent").Fork(1'000, 3, 2).Actor(1'000, 3, "child").t,
               ReapedExp("child", "parent"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "child (pid 3) never exited")) << Show(v);
}

TEST(ExpectReapedTest, ByTheKernelWhenTheParentIgnoresSigchld) {
  Tl tl;
  tl.Spawn(0, 2)
      .Actor(0, 2, "parent")
      .Fork(1'000, 3, 2)
      .Actor(1'000, 3, "child")
      .Exit(50'000, 3, 0)
      .Reap(50'010, 3, Party::Kernel())
      .Exit(100'000, 2, 0)
      .End(200'000);
  Verdict v = JudgeOne(kActors, tl.t, ReapedExp("child", "kernel"));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "reaped by the kernel (its parent ignores SIGCHLD)"));
  v = JudgeOne(kActors, Zombie().t, ReapedExp("child", "kernel"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "reaped by parent (pid 2) at 0.310s, not by the kernel (parent (pid 2) did not "
                  "ignore SIGCHLD)"))
      << Show(v);
}

TEST(ExpectReapedTest, FailsForAProcessThatNeverExisted) {
  Verdict v =
      JudgeOne(Actors({"parent", "child", "ghost"}), Zombie().t, ReapedExp("ghost", "parent"));
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "no process was ever called 'ghost' (no actor ever forked it)"))
      << Show(v);
}

}  // namespace
}  // namespace proclab::expect_test
