#include "runner/timeline/usage.h"

#include <gtest/gtest.h>

#include "runner/timeline/trace_json.h"

namespace proclab {
namespace {

TEST(Usage, RoundTripsThroughTheTraceJson) {
  Event e;
  e.type = EventType::kExit;
  e.t_us = 5;
  e.pid = 2;
  Usage u;
  u.user_us = 1200;
  u.system_us = 30;
  u.max_rss_kb = 4096;
  u.max_rss_with_children = true;
  u.voluntary_switches = 4;
  u.involuntary_switches = 9;
  u.minor_faults = 100;
  u.major_faults = 1;
  u.last_cpu = 1;
  u.threads = {{3, 600, 0}, {2, 630, 1}};
  u.widened_to = "0-3";
  e.usage = std::make_shared<const Usage>(u);
  e.cpu = {{2, 77}, {4, 8}};
  auto j = EventToJson(e);
  EXPECT_EQ(j["usage"]["cpu_us"], 1230);
  auto back = EventFromJson(j);
  ASSERT_TRUE(back.ok());
  ASSERT_TRUE(back->usage);
  EXPECT_EQ(*back->usage, u);
  EXPECT_EQ(back->cpu, e.cpu);
  // A trace written before the figures has none, and reads as such.
  j.erase("usage");
  j.erase("cpu");
  auto old = EventFromJson(j);
  ASSERT_TRUE(old.ok());
  EXPECT_FALSE(old->usage);
  EXPECT_TRUE(old->cpu.empty());
}

TEST(Usage, TheProcessRecordCarriesItsExitFigures) {
  Timeline t;
  Event spawn;
  spawn.type = EventType::kSpawn;
  spawn.pid = 2;
  spawn.t_us = 1;
  t.Add(spawn);
  Event exit;
  exit.type = EventType::kExit;
  exit.pid = 2;
  exit.t_us = 2;
  Usage u;
  u.user_us = 5;
  exit.usage = std::make_shared<const Usage>(u);
  t.Add(exit);
  auto procs = t.Processes();
  ASSERT_EQ(procs.size(), 1u);
  ASSERT_TRUE(procs[0].usage);
  EXPECT_EQ(procs[0].usage->cpu_us(), 5);
  EXPECT_EQ(procs[0].exit_event, 1u);
  EXPECT_EQ(ProcessToJson(procs[0])["usage"]["user_us"], 5);
}

TEST(CpuList, FormatsAndParses) {
  EXPECT_EQ(FormatCpuList({0, 1, 2, 3, 6}), "0-3,6");
  EXPECT_EQ(FormatCpuList({5}), "5");
  EXPECT_EQ(ParseCpuList("0-3,6"), (std::vector<int>{0, 1, 2, 3, 6}));
  EXPECT_EQ(ParseCpuList("2,0,2"), (std::vector<int>{0, 2}));
  for (const char* bad : {"", "a", "3-1", "1,", ",1", "1-", "99999"})
    EXPECT_FALSE(ParseCpuList(bad)) << bad;
}

}  // namespace
}  // namespace proclab
