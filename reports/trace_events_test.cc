// The Trace Event Format output, checked against the format's documented
// fields (no TEF parser is packaged in Debian 12): every event has the keys
// its phase needs, flows pair up and leave from and land on a slice of the
// right track, and each process has one track.
#include "reports/trace_events.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "runner/expect/test_timelines.h"

namespace proclab {
namespace {

using expect_test::Tl;
using nlohmann::json;

json Tef(const Timeline& t) {
  std::string text;
  TraceEventWriter w([&](std::string_view s) { text += s; });
  w.Begin();
  w.AddRun(t, 1, "run");
  w.End();
  return json::parse(text);
}

// The checks a TEF reader relies on; the problems found, empty when none.
std::vector<std::string> Problems(const json& doc) {
  std::vector<std::string> out;
  if (!doc.contains("traceEvents") || !doc["traceEvents"].is_array()) return {"no traceEvents"};
  std::map<std::pair<int, int>, std::vector<std::pair<int64_t, int64_t>>> slices;
  for (const auto& e : doc["traceEvents"]) {
    const std::string ph = e.value("ph", "");
    if (ph.empty() || !e.contains("name") || !e.contains("pid")) out.push_back("bare: " + e.dump());
    if (ph == "M") continue;
    if (!e.contains("ts") || !e["ts"].is_number_integer() || !e.contains("tid"))
      out.push_back("no ts/tid: " + e.dump());
    if (ph == "X") {
      if (!e.contains("dur") || e["dur"].get<int64_t>() < 0) out.push_back("dur: " + e.dump());
      slices[{e["pid"], e["tid"]}].emplace_back(e["ts"],
                                                e["ts"].get<int64_t>() + e["dur"].get<int64_t>());
    }
  }
  std::map<int64_t, int> flows;  // id -> s seen minus f seen
  for (const auto& e : doc["traceEvents"]) {
    const std::string ph = e.value("ph", "");
    if (ph != "s" && ph != "f") continue;
    if (!e.contains("id") || !e.contains("cat")) out.push_back("flow without id/cat: " + e.dump());
    flows[e.value("id", int64_t{0})] += ph == "s" ? 1 : -1;
    if (ph == "f" && e.value("bp", "") != "e") out.push_back("f without bp e: " + e.dump());
    bool enclosed = false;
    for (const auto& [from, to] : slices[{e["pid"], e["tid"]}])
      enclosed = enclosed || (from <= e["ts"].get<int64_t>() && e["ts"].get<int64_t>() <= to);
    if (!enclosed) out.push_back("flow end outside any slice: " + e.dump());
  }
  for (const auto& [id, balance] : flows)
    if (balance != 0) out.push_back("unpaired flow " + std::to_string(id));
  return out;
}

Timeline Family() {
  Tl tl;
  tl.Spawn(1'000, 2, "sh").Fork(2'000, 3, 2).Exec(3'000, 3, {"sleep", "1"}, "sleep");
  tl.Sent(4'000, SIGUSR1, Party::Process(2), 3)
      .Delivered(4'500, SIGUSR1, 3, Party::Process(2), Outcome::kHandled);
  tl.Sent(4'600, SIGTERM, Party::Process(2), 99, "ESRCH");
  tl.Delivered(5'000, SIGINT, 2, Party::Tty(), Outcome::kKilled).Killed(5'100, 2, SIGINT);
  tl.Reparent(5'200, 3, 2, 1).Reap(5'300, 2, Party::Process(1));
  tl.Exit(6'000, 3, 0).Reap(6'100, 3, Party::Process(1));
  // pid 3 again, a new process of its own.
  tl.Fork(7'000, 3, 1).Exit(8'000, 3, 1).Reap(9'000, 3, Party::Process(1));
  return std::move(tl.End(10'000).t);
}

TEST(TraceEvents, FollowsTheFormat) {
  const json doc = Tef(Family());
  EXPECT_EQ(Problems(doc), std::vector<std::string>{});
  EXPECT_EQ(doc["displayTimeUnit"], "ms");
}

TEST(TraceEvents, OneTrackPerProcessAndOnePerOtherSender) {
  const json doc = Tef(Family());
  std::multiset<std::string> tracks;
  for (const auto& e : doc["traceEvents"])
    if (e["ph"] == "M" && e["name"] == "thread_name") tracks.insert(e["args"]["name"]);
  // sh, sleep, the reused pid 3, and the tty and the lab that sent or reaped.
  EXPECT_EQ(tracks.count("2 sh"), 1U);
  EXPECT_EQ(tracks.count("3 sleep"), 1U);
  EXPECT_EQ(tracks.count("tty"), 1U);
  EXPECT_EQ(tracks.size(), 5U) << json(tracks).dump();
}

TEST(TraceEvents, LifetimesInstantsAndArrows) {
  const json doc = Tef(Family());
  std::multiset<std::string> seen;
  for (const auto& e : doc["traceEvents"])
    seen.insert(e["ph"].get<std::string>() + " " + e.value("cat", "") + " " +
                e["name"].get<std::string>());
  EXPECT_EQ(seen.count("X process sh"), 1U);
  EXPECT_EQ(seen.count("X zombie zombie"), 3U);
  EXPECT_EQ(seen.count("i exec exec sleep"), 1U);
  EXPECT_EQ(seen.count("i exit killed by SIGINT"), 1U);
  EXPECT_EQ(seen.count("i reap reaped by lab (1)"), 3U);
  EXPECT_EQ(seen.count("s fork fork"), 2U);
  EXPECT_EQ(seen.count("s signal SIGUSR1 handled"), 1U);
  EXPECT_EQ(seen.count("s signal SIGINT killed"), 1U);  // from the tty's track
  // A failed kill is an instant, never an arrow.
  EXPECT_EQ(seen.count("i signal sends SIGTERM → 99 (failed: ESRCH)"), 1U);
  // The SIGUSR1 arrow leaves when it was sent, not when it arrived.
  for (const auto& e : doc["traceEvents"])
    if (e["ph"] == "s" && e["name"] == "SIGUSR1 handled") {
      EXPECT_EQ(e["ts"], 4000);
    }
}

// The control: the checks above catch a broken document.
TEST(TraceEvents, TheChecksCatchABrokenDocument) {
  json doc = Tef(Family());
  json broken = doc;
  for (auto it = broken["traceEvents"].begin(); it != broken["traceEvents"].end(); ++it)
    if ((*it)["ph"] == "f") {
      broken["traceEvents"].erase(it);
      break;
    }
  EXPECT_FALSE(Problems(broken).empty());
  broken = doc;
  for (auto& e : broken["traceEvents"])
    if (e["ph"] == "s") e["ts"] = 999'999;
  EXPECT_FALSE(Problems(broken).empty());
}

}  // namespace
}  // namespace proclab
