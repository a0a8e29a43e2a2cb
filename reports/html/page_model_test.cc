// The page's model: lanes keyed by process identity in tree order, party
// lanes on top, one arrow per delivery from its sender's lane, stopped and
// zombie spans. Each test also checks what must not be there.
#include "reports/html/page_model.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "reports/html/html_page.h"
#include "runner/expect/test_timelines.h"

namespace proclab::html {
namespace {

using expect_test::Tl;
using nlohmann::json;

// driver 2 forks 3 and 4; 3 exits and is reaped; 4 gets pid... 3 again
// (reuse) via a new fork; a tty SIGINT goes to 2; 2 stops and continues.
Timeline DcRun() {
  Tl tl;
  tl.Spawn(1'000, 2, "python3", {"python3", "dc.py"}).Fork(2'000, 3, 2).Fork(3'000, 4, 2);
  tl.Thread(3'500, 9, 4);
  tl.Exit(10'000, 3, 0).Reap(12'000, 3, Party::Process(2));
  tl.Fork(20'000, 3, 4);  // pid 3 again, a new process: a child of 4
  tl.Delivered(30'000, SIGINT, 2, Party::Tty(), Outcome::kIgnored);
  tl.Sent(31'000, SIGTSTP, Party::Process(4), 2)
      .Delivered(31'100, SIGTSTP, 2, Party::Process(4), Outcome::kStopped);
  Event stop;
  stop.t_us = 31'200;
  stop.type = EventType::kStop;
  stop.pid = 2;
  stop.sig = SIGTSTP;
  tl.t.Add(stop);
  tl.Sent(32'000, SIGKILL, Party::Process(4), 77, "ESRCH");
  tl.Output(33'000, 4, "发车了\n");
  tl.Exit(40'000, 3, 1).Exit(41'000, 4, 0).Reap(41'500, 3, Party::Process(1));
  tl.Reap(42'000, 4, Party::Process(2)).Killed(50'000, 2, SIGKILL);
  tl.Reap(50'100, 2, Party::Process(1));
  return std::move(tl.End(60'000).t);
}

json Model(const Timeline& t) {
  PageRun run;
  run.title = "unit";
  run.timeline = &t;
  run.names = {{1, "driver"}};
  return PageModel(run);
}

TEST(PageModel, OneLanePerProcessInTreeOrderUnderThePartyLanes) {
  const Timeline t = DcRun();
  const json m = Model(t);
  std::vector<std::string> order;
  for (const auto& l : m["lanes"])
    order.push_back(l["kind"] == "proc" ? fmt::format("{}#{}@{}", l["pid"].get<int>(),
                                                      l["id"].get<int>(), l["depth"].get<int>())
                                        : l["label"].get<std::string>());
  // Parties first; the reused pid 3 is a second lane, under its parent 4.
  EXPECT_EQ(order, (std::vector<std::string>{"lab", "tty", "2#1@0", "3#2@1", "4#3@1", "3#4@2"}));
  EXPECT_EQ(m["lanes"][2]["name"], "driver");
  EXPECT_EQ(m["lanes"][4]["threads"], 1);
}

TEST(PageModel, ArrowsStartOnTheSendersLane) {
  const Timeline t = DcRun();
  const json m = Model(t);
  int sig = 0, failed = 0;
  for (const auto& mk : m["marks"]) {
    if (mk["k"] == "sig") {
      ++sig;
      if (mk["c"] == "ignored") {
        EXPECT_EQ(mk["l"], 1) << "the tty's lane";
      }
      if (mk["c"] == "stopped") {
        EXPECT_EQ(mk["l"], 4) << "process 4's lane";
        EXPECT_EQ(mk["to"], 2);
        EXPECT_EQ(mk["e"].size(), 2u) << "the send and the delivery";
      }
    }
    if (mk["k"] == "sigfail") ++failed;
  }
  EXPECT_EQ(sig, 2) << "one arrow per delivery, none for the failed kill";
  EXPECT_EQ(failed, 1);
}

TEST(PageModel, StoppedAndZombieSpans) {
  const Timeline t = DcRun();
  const json m = Model(t);
  const json& driver = m["lanes"][2];
  ASSERT_EQ(driver["stopped"].size(), 1u);
  EXPECT_EQ(driver["stopped"][0][0], 31'200) << "stopped until it died";
  EXPECT_EQ(driver["stopped"][0][1], 50'000);
  const json& first3 = m["lanes"][3];
  EXPECT_EQ(first3["end"], 10'000);
  EXPECT_EQ(first3["reap"], 12'000) << "a zombie from exit to reap";
  EXPECT_EQ(m["lanes"][4]["stopped"].size(), 0u);
}

// `sample` events shade a lane by CPU use between samples. The first pid 3
// exits before the sample at 15ms; the reused pid 3 (born at 20ms) starts
// from 0 and takes only the readings made while it held the pid.
TEST(PageModel, CpuSamplesShadeOnlyTheirOwnProcess) {
  Timeline t = DcRun();
  auto sample = [&](int64_t at, std::vector<CpuReading> cpu) {
    Event e;
    e.type = EventType::kSample;
    e.t_us = at;
    e.cpu = std::move(cpu);
    return e;
  };
  Tl tl;
  for (const Event& e : t.events()) {
    if (e.t_us == 20'000) tl.t.Add(sample(15'000, {{2, 7'000}, {4, 100}, {3, 9'999}}));
    if (e.t_us == 30'000) tl.t.Add(sample(25'000, {{2, 7'000}, {4, 100}, {3, 4'000}}));
    tl.t.Add(e);
  }
  const Timeline sampled = std::move(tl.End(60'000).t);
  const json m = Model(sampled);
  const json& driver = m["lanes"][2];
  ASSERT_EQ(driver["busy"].size(), 2u) << driver.dump();
  EXPECT_EQ(driver["busy"][0][0], 1'000) << "from its birth, at 0 CPU";
  EXPECT_NEAR(driver["busy"][0][2].get<double>(), 0.5, 1e-9) << "7ms of CPU in 14ms";
  EXPECT_NEAR(driver["busy"][1][2].get<double>(), 0.0, 1e-9) << "idle from 15ms to 25ms";
  EXPECT_FALSE(m["lanes"][3].contains("busy")) << "the first pid 3 ended before any sample";
  const json& second3 = m["lanes"][5];
  ASSERT_EQ(second3["busy"].size(), 1u) << second3.dump();
  EXPECT_EQ(second3["busy"][0][0], 20'000);
  EXPECT_NEAR(second3["busy"][0][2].get<double>(), 0.8, 1e-9) << "4ms in 5ms, not 9.999ms";
  // Control: without samples, no lane is shaded.
  const Timeline plain = DcRun();
  const json unsampled = Model(plain);
  for (const auto& l : unsampled["lanes"]) EXPECT_FALSE(l.contains("busy"));
}

TEST(PageModel, ThePageEmbedsTheModelSafely) {
  Timeline t = DcRun();
  t.Add([] {
    Event e;
    e.t_us = 55'000;
    e.type = EventType::kOutput;
    e.pid = 4;
    e.text = "</script><script>alert(1)</script>\n";
    return e;
  }());
  PageRun run;
  run.title = "<b>x</b>";
  run.timeline = &t;
  const std::string page = RenderPage(run);
  EXPECT_EQ(page.find("</script><script>alert"), std::string::npos);
  EXPECT_NE(page.find("<\\/script>"), std::string::npos);
  EXPECT_NE(page.find("<title>&lt;b&gt;x&lt;/b&gt; — proclab</title>"), std::string::npos);
  EXPECT_EQ(page.find("http://"), page.find("http://www.w3.org"))
      << "no address but the SVG namespace";
}

}  // namespace
}  // namespace proclab::html
