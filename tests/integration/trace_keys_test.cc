// proclab trace --tty --keys: keys pressed on an interactive program's
// terminal at given times, for ad-hoc runs (issue 9).
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "runner/base/clock.h"
#include "tests/integration/cli_runner.h"

namespace proclab::testing {
namespace {

Ran Trace(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {PROCLAB_BINARY, "trace"};
  argv.insert(argv.end(), args.begin(), args.end());
  return Execute(argv);
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A program that leaves SIGINT as it is dies of the key, and the trace says
// the terminal sent it.
TEST(TraceKeys, CtrlCFromTheTerminalEndsAProgram) {
  char path[] = "/tmp/proclab-keys-XXXXXX";
  const int fd = mkstemp(path);
  close(fd);
  const int64_t start = MonotonicUs();
  Ran r = Trace({"--tty", "--keys", "0.3s:ctrl-c", "--json", path, "--", "/bin/sleep", "30"});
  const int64_t took = MonotonicUs() - start;
  EXPECT_EQ(r.status, 128 + SIGINT) << r.out << r.err;  // the program's own status, as env's
  EXPECT_LT(took, 10'000'000) << "the key did not end it";
  EXPECT_TRUE(Has(r.out, "key ctrl-c")) << r.out;
  EXPECT_TRUE(Has(r.out, "SIGINT tty → 2 killed")) << r.out;
  EXPECT_TRUE(Has(r.out, "killed by SIGINT")) << r.out;

  std::ifstream f(path);
  std::stringstream text;
  text << f.rdbuf();
  unlink(path);
  auto j = nlohmann::json::parse(text.str());
  bool delivered = false;
  for (const auto& e : j["events"]) {
    if (e["type"] != "signal_delivered") continue;
    EXPECT_EQ(e["sig"], "SIGINT");
    EXPECT_EQ(e["from"], "tty");
    EXPECT_EQ(e["outcome"], "killed");
    // Pressed at 0.3s from the program's start, not before.
    EXPECT_GE(e["t_us"].get<int64_t>(), 300'000);
    delivered = true;
  }
  EXPECT_TRUE(delivered) << text.str();
  ASSERT_EQ(j["steps"].size(), 2u);  // the sleep to 0.3s, then the key
  EXPECT_TRUE(j["steps"][1]["ok"].get<bool>());
}

// Negative control: without keys, the same kind of program runs to its own end.
TEST(TraceKeys, WithoutKeysTheProgramRunsToItsEnd) {
  Ran r = Trace({"--tty", "--", "/bin/sleep", "0.5"});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_FALSE(Has(r.out, "SIGINT")) << r.out;
  EXPECT_TRUE(Has(r.out, "exit 0")) << r.out;
  // A key due after the program ended is not pressed, and the trace says so.
  Ran late = Trace({"--tty", "--keys", "3s:ctrl-c", "--", "/bin/sleep", "0.3"});
  EXPECT_EQ(late.status, 0) << late.out << late.err;
  EXPECT_TRUE(Has(late.out, "(key ctrl-c): not sent: the run ended first")) << late.out;
}

// A program that ignores the keys is ended by the default timeout, 5s after
// the last key, rather than holding the terminal for ever.
TEST(TraceKeys, AProgramThatIgnoresTheKeysMeetsTheDefaultTimeout) {
  const int64_t start = MonotonicUs();
  Ran r = Trace({"--tty", "--keys", "0.2s:ctrl-c,0.4s:ctrl-backslash", "--", "/bin/sh", "-c",
                 "trap '' INT QUIT; sleep 60"});
  const int64_t took = MonotonicUs() - start;
  EXPECT_EQ(r.status, 128 + SIGKILL) << r.out << r.err;
  EXPECT_TRUE(Has(r.out, "SIGINT tty → 2 ignored")) << r.out;
  EXPECT_TRUE(Has(r.out, "SIGQUIT tty → 2 ignored")) << r.out;
  EXPECT_TRUE(Has(r.out, "the run passed its 5.4s timeout")) << r.out;
  EXPECT_LT(took, 20'000'000);
  // Negative control: an explicit --timeout is the user's, not the default.
  Ran own = Trace({"--tty", "--keys", "0.2s:ctrl-c", "--timeout", "1s", "--", "/bin/sh", "-c",
                   "trap '' INT; sleep 60"});
  EXPECT_TRUE(Has(own.out, "the run passed its 1s timeout")) << own.out;
}

TEST(TraceKeys, MistakesAreRefusedWithTheWrappersStatus) {
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const Case cases[] = {
      {{"--keys", "0.3s:ctrl-c"}, "--keys needs --tty"},
      {{"--tty", "--keys", "0.3s:ctrl-x"}, "'ctrl-x' is not a key"},
      {{"--tty", "--keys", "0.3:ctrl-c"}, "the time '0.3' is not a duration"},
      {{"--tty", "--keys", "2s:ctrl-c,1s:ctrl-z"}, "list the keys in time order"},
      {{"--tty", "--keys", "2s:ctrl-c", "--timeout", "1s"}, "ends the run before the key at 2s"},
      {{"--tty", "--stdin", "/dev/null"}, "--stdin and --tty exclude each other"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = c.args;
    args.insert(args.end(), {"--", "/bin/echo", "ran"});
    Ran r = Trace(args);
    // 125, never a status the program could have given (its 2 or its 1).
    EXPECT_EQ(r.status, 125) << c.says;
    EXPECT_TRUE(Has(r.err, c.says)) << r.err;
    EXPECT_FALSE(Has(r.out, "ran")) << "the program ran: " << c.says;
  }
  // Negative control: the same flags, right, run the program.
  Ran ok = Trace({"--tty", "--keys", "5s:ctrl-c", "--", "/bin/echo", "ran"});
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_TRUE(Has(ok.out, "ran")) << ok.out;
}

}  // namespace
}  // namespace proclab::testing
