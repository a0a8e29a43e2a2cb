// Issue 8's "Why" list, one test per numbered case (§1 and §9 are in
// adversarial_test.cc, run in both isolation modes). Each asserts
// containment, the diagnosis the user reads, proclab's exit status and its
// peak memory, with a negative control where one makes sense.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/adversarial/harness.h"

namespace proclab::testing::adversarial {
namespace {
namespace fs = std::filesystem;

// Why §7: `trace` exit statuses collided: a program's own exit 2 or 3 read
// as "could not start" or "proclab failed". Now trace does as wrappers do:
// the program's status (128+N for signal N), 125 when proclab failed or was
// used wrongly, 126 when the program could not be run, 127 when it was not
// found. `run` keeps 0/1/2/3.
TEST(ExitStatus, TraceKeeps125To127ForItselfAndPassesTheProgramsOwn) {
  Options o = Tagged();
  Scratch dir;  // readable by the program's user, so ENOENT is ENOENT
  const std::string exit_with = Tracee("exit_with");
  for (int code : {0, 1, 2, 3, 42}) {
    Outcome r =
        RunProclab({"trace", "-q", "--", exit_with, "code", std::to_string(code), o.tag}, o);
    EXPECT_EQ(r.status, code) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_TRUE(Contained(r));
    EXPECT_TRUE(Small(r));
  }
  Outcome term = RunProclab({"trace", "-q", "--", exit_with, "signal", "15", o.tag}, o);
  EXPECT_EQ(term.status, 128 + SIGTERM);

  Outcome missing = RunProclab({"trace", "--", dir.path() + "/no-such-program"}, o);
  EXPECT_EQ(missing.status, 127);
  EXPECT_TRUE(Says(missing, "could not start"));
  EXPECT_TRUE(Says(missing, "(ENOENT)"));
  const std::string text = dir.Write("not-executable", "echo hi\n");
  Outcome not_run = RunProclab({"trace", "--", text}, o);
  EXPECT_EQ(not_run.status, 126);
  EXPECT_TRUE(Says(not_run, "(EACCES)"));
  Outcome usage = RunProclab({"trace", "--timeout", "soon", "--", "/bin/true"}, o);
  EXPECT_EQ(usage.status, 125);
  EXPECT_TRUE(Says(usage, "--timeout 'soon': expected a duration"));
  Outcome unwritable =
      RunProclab({"trace", "--json", dir.path() + "/no/such/dir.json", "--", "/bin/true"}, o);
  EXPECT_EQ(unwritable.status, 125);
  EXPECT_TRUE(Says(unwritable, "cannot write"));
  for (const Outcome* r : {&term, &missing, &not_run, &usage, &unwritable})
    EXPECT_TRUE(Contained(*r));

  // `run`: a program's exit 3 is a failed expectation (1), not "proclab failed".
  const std::string scenario = dir.Write("three.yaml", R"(scenario: exits-three
program: [@TRACEES@/exit_with, code, "3", @TAG@]
roles: {main: main}
expect:
  - exit: {process: main, code: 0}
)",
                                         o.tag);
  Outcome run = RunProclab({"run", scenario}, o);
  EXPECT_EQ(run.status, 1) << run.out;
  EXPECT_TRUE(Says(run, "exited with code 3"));
  EXPECT_TRUE(Contained(run));
}

std::string LimitScenario(const Scratch& dir, const std::string& name, const std::string& limits,
                          const std::string& program, const std::string& tag,
                          const std::string& cwd = "") {
  return dir.Write(name + ".yaml",
                   fmt::format(R"(scenario: {}
timeout: 10s
program: [{}, @TAG@]
env: {{ADV_TAG: @TAG@}}
{}limits: {{{}}}
roles: {{main: main}}
expect:
  - exit: {{process: main, code: 0}}
)",
                               name, program, cwd.empty() ? "" : "cwd: " + cwd + "\n", limits),
                   tag);
}

// Why §8 (CPU): a CPU-limit death read "killed by SIGXCPU from the kernel"
// (or SIGKILL, for a program that ignores SIGXCPU). The verdict now names
// the limit, either way. Negative control: a program that needs less than
// its limit runs to the end.
TEST(Limits, ACpuLimitIsNamedInTheVerdict) {
  Options o = Tagged();
  Scratch dir;
  Outcome r =
      RunProclab({"run", LimitScenario(dir, "spin", "cpu: 1s", "@ADV@/cpu_spin", o.tag)}, o);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_TRUE(Says(r, "main (pid 2) used its 1s CPU limit (SIGXCPU)"));
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
  Outcome deaf = RunProclab(
      {"run", LimitScenario(dir, "deaf", "cpu: 1s",
                            "/bin/sh, -c, \"trap '' XCPU; exec @ADV@/cpu_spin\"", o.tag)},
      o);
  EXPECT_EQ(deaf.status, 1) << deaf.out;
  EXPECT_TRUE(Says(deaf, "main (pid 2) used its 1s CPU limit and went on: SIGKILL a second later"));
  EXPECT_TRUE(Contained(deaf));
  Outcome under = RunProclab(
      {"run", LimitScenario(dir, "under", "cpu: 2s", "@ADV@/cpu_threads, \"200\"", o.tag)}, o);
  EXPECT_EQ(under.status, 0) << under.out;
  EXPECT_TRUE(Contained(under));
}

// Why §8 (memory): a memory-limit failure read "exit 42" or "SIGSEGV". Both
// limits are now named: the run's (memory_total, through its cgroup: the
// OOM killer) and the per-process address space (memory: malloc fails).
// Negative control: under a larger limit the same program gets further.
TEST(Limits, MemoryLimitsAreNamedInTheVerdict) {
  Options o = Tagged(/*sandbox=*/true, /*memory_mb=*/512);
  Scratch dir;
  const std::string total_yaml =
      LimitScenario(dir, "total", "memory_total: 64MiB", "@ADV@/mem_bomb", o.tag);
  Outcome total = RunProclab(
      {"run", "--report", "console", "--report", "json:" + dir.path() + "/64.json", total_yaml}, o);
  SKIP_WITHOUT_SANDBOX(total);
  EXPECT_EQ(total.status, 1) << total.out;
  EXPECT_TRUE(Says(total, "the run reached its 64MiB memory limit: the OOM killer ended it"));
  const std::string held = ReadFile(dir.path() + "/64.json");
  EXPECT_NE(held.find("holding 32 MiB"), std::string::npos) << held.substr(0, 2000);
  EXPECT_EQ(held.find("holding 80 MiB"), std::string::npos) << "it held more than its limit";
  EXPECT_TRUE(Contained(total));
  EXPECT_TRUE(Small(total));

  Outcome as =
      RunProclab({"run", LimitScenario(dir, "as", "memory: 64MiB", "@ADV@/mem_bomb", o.tag)}, o);
  EXPECT_EQ(as.status, 1) << as.out;
  EXPECT_TRUE(Says(as, "exited with code 42"));
  EXPECT_TRUE(Says(as,
                   "its address space was limited to 64MiB: an allocation that fails ends "
                   "many programs this way"));
  EXPECT_TRUE(Contained(as));
  EXPECT_TRUE(Small(as));
  Outcome segv = RunProclab(
      {"run", LimitScenario(dir, "segv", "memory: 64MiB", "@ADV@/mem_bomb, unchecked", o.tag)}, o);
  EXPECT_EQ(segv.status, 1) << segv.out;
  EXPECT_TRUE(Says(segv, "was killed by SIGSEGV from the kernel at"));
  EXPECT_TRUE(Says(segv, "(its address space was limited to 64MiB"));
  EXPECT_TRUE(Contained(segv));

  const std::string report = dir.path() + "/larger.json";
  Outcome larger =
      RunProclab({"run", "--report", "console", "--report", "json:" + report,
                  LimitScenario(dir, "larger", "memory_total: 160MiB", "@ADV@/mem_bomb", o.tag)},
                 o);
  EXPECT_TRUE(Says(larger, "the run reached its 160MiB memory limit"));
  EXPECT_NE(ReadFile(report).find("holding 96 MiB"), std::string::npos)
      << "a larger limit should let the program hold more";
  EXPECT_TRUE(Contained(larger));
}

// Why §8 (file size): there was no file-size limit: a program left a 1 GiB
// file in its folder. Now a write past `file_size` (default 64MiB) gets
// SIGXFSZ, named in the verdict, and the file stops at the limit. Negative
// control: the file grows to a larger limit. And where SIGXFSZ is ignored
// the write fails with EFBIG, which Build §6 wants named too.
TEST(Limits, AFileSizeLimitStopsTheFileAndIsNamed) {
  Options o = Tagged();
  Scratch dir(/*open=*/true);  // the program (nobody) writes big.out here
  const std::string big = dir.path() + "/big.out";
  Outcome r = RunProclab(
      {"run", LimitScenario(dir, "fsize", "file_size: 1MiB", "@ADV@/big_file", o.tag, dir.path())},
      o);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_TRUE(Says(r, "main (pid 2) wrote past its 1MiB file size limit (SIGXFSZ)"));
  EXPECT_EQ(fs::file_size(big), 1u << 20);
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));

  fs::remove(big);
  Outcome larger = RunProclab(
      {"run", LimitScenario(dir, "larger", "file_size: 3MiB", "@ADV@/big_file", o.tag, dir.path())},
      o);
  EXPECT_TRUE(Says(larger, "wrote past its 3MiB file size limit (SIGXFSZ)"));
  EXPECT_EQ(fs::file_size(big), 3u << 20);
  EXPECT_TRUE(Contained(larger));

  fs::remove(big);
  const std::string report = dir.path() + "/efbig.json";
  Outcome efbig = RunProclab({"run", "--report", "console", "--report", "json:" + report,
                              LimitScenario(dir, "efbig", "file_size: 1MiB",
                                            "@ADV@/big_file, ignore-sigxfsz", o.tag, dir.path())},
                             o);
  EXPECT_EQ(efbig.status, 1) << efbig.out;
  EXPECT_NE(ReadFile(report).find("write failed after 1 MiB: EFBIG"), std::string::npos);
  EXPECT_EQ(fs::file_size(big), 1u << 20);
  EXPECT_TRUE(Contained(efbig));
  // Ignored, SIGXFSZ kills nothing: the limit is still named, as the write's failure.
  EXPECT_TRUE(Says(efbig,
                   "wrote past its 1MiB file size limit: the write failed with EFBIG "
                   "(SIGXFSZ ignored)"))
      << efbig.out;
  EXPECT_NE(ReadFile(report).find("\"kind\": \"file_size\""), std::string::npos);
}

// Why §8 (open files): there was no open-files limit, and a program
// inherited 20,000 descriptors. Now `open_files` caps them (EMFILE), and a
// program gets only 0-2, however many proclab itself holds. Negative
// controls: the cap follows the setting, and the same program started
// without proclab does see the descriptors.
TEST(Limits, OpenFilesAreCappedAndNotInherited) {
  Options o = Tagged();
  o.extra_fds = 200;
  Scratch dir;
  Outcome r =
      RunProclab({"run", "--report", "console", "--report", "json:" + dir.path() + "/64.json",
                  LimitScenario(dir, "fds", "open_files: 64", "@ADV@/fd_hog", o.tag)},
                 o);
  EXPECT_EQ(r.status, 0) << r.out;
  const std::string json = ReadFile(dir.path() + "/64.json");
  EXPECT_NE(json.find("inherited 0 fds beyond 0-2"), std::string::npos) << json.substr(0, 3000);
  EXPECT_NE(json.find("opened 61, then EMFILE"), std::string::npos);
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));

  Outcome more = RunProclab({"trace", "--open-files", "128", "--", Program("fd_hog"), o.tag}, o);
  EXPECT_TRUE(Says(more, "stdout: opened 125, then EMFILE"));
  EXPECT_TRUE(Says(more, "stdout: inherited 0 fds beyond 0-2"));
  EXPECT_TRUE(Contained(more));
  Outcome direct = RunCommand({Program("fd_hog"), o.tag}, o);
  EXPECT_GE(NumberAfter(direct.out, "inherited "), 200) << direct.out;
}

// Why §10: the loader echoed raw terminal escape sequences from files, and
// a NUL inside an argument was silently cut. Control characters are now
// shown escaped (\x1b) where files' and programs' text reaches the
// terminal, and a NUL is an error at its file:line:column.
TEST(CleanText, ControlCharactersFromFilesAndProgramsAreShownEscaped) {
  Options o = Tagged();
  Scratch dir;
  // YAML escapes make real ESC and BEL characters in the values.
  const std::string file = dir.Write("escapes.yaml", R"(scenario: "esc\e[31mape"
description: "red \e[31m text \e]0;title\a"
tags: ["t\e[1mag"]
actors:
  main: [{print: "a\e[31mb"}, {exit: 3}]
expect:
  - exit: {process: main, code: 0}
)");
  Outcome run = RunProclab({"run", file}, o);
  EXPECT_EQ(run.status, 1);
  EXPECT_TRUE(Says(run, "esc\\x1b[31mape"));
  EXPECT_TRUE(Says(run, "exited with code 3"));
  EXPECT_TRUE(Contained(run));
  EXPECT_TRUE(Small(run));
  const std::string unknown = dir.Write("unknown.yaml", R"(scenario: x
actors:
  main: [{exit: 0}]
expect:
  - output: {match: "x", by: "no\e[2Jbody"}
)");
  Outcome check = RunProclab({"check", unknown}, o);
  EXPECT_EQ(check.status, 2);
  EXPECT_TRUE(Says(check,
                   "unknown.yaml:5:30: error: by: no actor or role is called "
                   "'no\\x1b[2Jbody'"));
  Outcome trace = RunProclab({"trace", "--", "/usr/bin/printf", "x\033[31my\\n"}, o);
  EXPECT_EQ(trace.status, 0);
  EXPECT_TRUE(Says(trace, "stdout: x\\x1b[31my"));
  Outcome lua_error = RunProclab({"check", dir.Write("e.lua", "error('boom \\27[2J here')\n")}, o);
  EXPECT_EQ(lua_error.status, 2);
  EXPECT_TRUE(Says(lua_error, "error: boom \\x1b[2J here"));
  for (const Ran* r : {&run, &check, &trace, &lua_error})
    EXPECT_EQ((r->out + r->err).find('\033'), std::string::npos) << r->out << r->err;

  Outcome list = RunProclab({"list", file}, o);
  Outcome launch = RunProclab({"trace", "--", dir.path() + "/no\033[31msuch"}, o);
  EXPECT_EQ(list.status, 0);
  EXPECT_EQ(launch.status, 127);
  EXPECT_TRUE(Says(launch, "could not start '" + dir.path() + "/no\\x1b[31msuch'"));
  std::string raw;
  if (list.out.find('\033') != std::string::npos)
    raw += " `proclab list` (name, description, tags);";
  if (launch.err.find('\033') != std::string::npos)
    raw += " trace's last line on stderr ('proclab: could not start …');";
  EXPECT_EQ(raw, "") << "raw escape sequences from files reach the terminal in:" << raw;
}

// Why §10 (NUL): a NUL in an argument, a name or a text is an error with its
// file:line:column, before anything runs.
TEST(CleanText, ANulInAnArgumentIsAnErrorAtItsPlace) {
  Options o = Tagged();
  Scratch dir;
  Outcome arg = RunProclab(
      {"check", dir.Write("nul.yaml", "scenario: x\nprogram: [/bin/echo, \"a\\0b\"]\n")}, o);
  EXPECT_EQ(arg.status, 2);
  EXPECT_TRUE(Says(arg,
                   "nul.yaml:2:22: error: program holds a NUL character (\\0), which no "
                   "argument, name or text passed to a program can carry"));
  Outcome name = RunProclab({"check", dir.Write("name.yaml",
                                                "scenario: \"n\\0ul\"\nactors:\n  main: "
                                                "[{exit: 0}]\n")},
                            o);
  EXPECT_EQ(name.status, 2);
  EXPECT_TRUE(Says(name, "name.yaml:1:11: error: scenario holds a NUL character"));
  Outcome text = RunProclab({"check", dir.Write("print.yaml",
                                                "scenario: x\nactors:\n  main: [{print: "
                                                "\"a\\0b\"}]\n")},
                            o);
  EXPECT_EQ(text.status, 2);
  EXPECT_TRUE(Says(text, "print.yaml:3:18: error: print holds a NUL character"));
  // Negative control: the same files without the NUL are valid.
  Outcome fine = RunProclab(
      {"check", dir.Write("fine.yaml", "scenario: x\nprogram: [/bin/echo, \"ab\"]\n")}, o);
  EXPECT_EQ(fine.status, 0) << fine.err;
  for (const Outcome* r : {&arg, &name, &text, &fine}) {
    EXPECT_TRUE(Contained(*r));
    EXPECT_TRUE(Small(*r));
  }
  // A raw NUL byte in the file (not the YAML escape) is refused too...
  const std::string raw_path = dir.path() + "/raw.yaml";
  const char raw_text[] = "scenario: x\nprogram: [/bin/echo, a\0b]\n";
  std::ofstream(raw_path, std::ios::binary) << std::string(raw_text, sizeof raw_text - 1);
  Outcome raw = RunProclab({"check", raw_path}, o);
  EXPECT_EQ(raw.status, 2);
  EXPECT_TRUE(Says(raw, "raw.yaml:"));
  // ... at its place, with the character named.
  EXPECT_TRUE(Says(raw,
                   "raw.yaml:2:23: error: malformed YAML: control characters are not "
                   "allowed (\\x00)"))
      << raw.err;
}

// Why §11: `SIGKILL: ignore` passed `check`. Negative control: ignoring
// SIGTERM is fine.
TEST(Minor, IgnoringSigkillFailsCheck) {
  Options o = Tagged();
  Scratch dir;
  for (const std::string sig : {"SIGKILL", "SIGSTOP"}) {
    Outcome r = RunProclab({"check", dir.Write("sk.yaml",
                                               "scenario: sk\nactors:\n  main:\n    - signal: "
                                               "{" +
                                                   sig + ": ignore}\n    - exit: 0\n")},
                           o);
    EXPECT_EQ(r.status, 2) << sig;
    EXPECT_TRUE(Says(r, "sk.yaml:4:16: error: " + sig + " cannot be caught or ignored"));
    EXPECT_TRUE(Contained(r));
    EXPECT_TRUE(Small(r));
  }
  Outcome term = RunProclab({"check", dir.Write("term.yaml",
                                                "scenario: t\nactors:\n  main:\n    - signal: "
                                                "{SIGTERM: ignore}\n    - exit: 0\n")},
                            o);
  EXPECT_EQ(term.status, 0) << term.err;
}

// Why §11: `trace --timeout 0s` meant "none", while YAML rejected it. Now
// both refuse it, before any lab starts. Negative control: a real timeout.
TEST(Minor, TraceTimeoutZeroIsRejected) {
  Options o = Tagged();
  Outcome r = RunProclab({"trace", "--timeout", "0s", "--", "/bin/true", o.tag}, o);
  EXPECT_EQ(r.status, 125);
  EXPECT_TRUE(Says(r, "--timeout must be more than 0 (leave it out for none)"));
  EXPECT_FALSE(Says(r, "proclab trace: /bin/true")) << "a lab ran";
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
  Outcome fine = RunProclab({"trace", "--timeout", "5s", "--", "/bin/true", o.tag}, o);
  EXPECT_EQ(fine.status, 0) << fine.err;
  EXPECT_TRUE(Says(fine, "exit 0"));
}

// Why §11: when the lab died, proclab printed "ended at 0.000s" and left its
// /tmp/proclab-* folder. Here the lab is SIGKILLed while the program runs:
// proclab says the lab died (125), shows what the lab saw, and nothing is
// left: no process, no cgroup, no scratch folder.
TEST(Minor, ADyingLabIsReportedAndCleanedUp) {
  Options o = Tagged();
  std::string home;
  o.during = [&](pid_t proclab) {
    // Wait for the program (it holds the tag), note its HOME, kill the lab.
    for (int i = 0; i < 500 && home.empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      for (const auto& entry : fs::directory_iterator("/proc")) {
        const std::string env = ReadFile(entry.path().string() + "/environ");
        if (env.find("ADV_TAG=" + o.tag) == std::string::npos ||
            ReadFile(entry.path().string() + "/comm") != "sleep\n")
          continue;
        const size_t at = env.find("HOME=");
        if (at != std::string::npos) home = env.substr(at + 5, env.find('\0', at) - at - 5);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::istringstream children(
        ReadFile(fmt::format("/proc/{}/task/{}/children", proclab, proclab)));
    pid_t lab = 0;
    while (children >> lab) kill(lab, SIGKILL);
  };
  Outcome r = RunProclab(
      {"trace", "-e", "ADV_TAG=" + o.tag, "--", "/bin/sh", "-c", "echo up; sleep 30", o.tag}, o);
  ASSERT_FALSE(home.empty()) << "the program never started\n" << r.out << r.err;
  EXPECT_EQ(r.status, 125) << r.out << r.err;
  EXPECT_TRUE(Says(r, "proclab: the lab failed: the lab died of signal 9"));
  EXPECT_TRUE(Says(r, "the lab died: what it saw ends at"));
  EXPECT_TRUE(Says(r, "stdout: up"));
  EXPECT_FALSE(Says(r, "ended at 0.000s"));
  EXPECT_LT(r.seconds, 10);  // not the program's 30s
  EXPECT_FALSE(fs::exists(home)) << home << " was left behind";
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
}

// A core file as core_pattern "core" names them: "core" or "core.PID".
bool IsCore(const fs::path& path) {
  return std::regex_match(path.filename().string(), std::regex("core(\\.[0-9]+)?"));
}

bool HasCore(const std::string& dir) {
  for (const auto& e : fs::directory_iterator(dir))
    if (IsCore(e.path())) return true;
  return false;
}

// Why §11: core files landed in the caller's folder. Now there are none
// unless a scenario expects one (`killed: {core: true}`), and then it is
// reported and removed, and never replaces a file that was there. Negative
// control: the same program without proclab does leave a core here (where
// core_pattern writes one).
TEST(Minor, CoreFilesDoNotStayInTheCallersFolder) {
  Options o = Tagged();
  Scratch dir(/*open=*/true);
  o.cwd = dir.path();  // the caller's folder, where `trace` runs the program
  Outcome r = RunProclab({"trace", "--", Program("core_dump"), o.tag}, o);
  EXPECT_EQ(r.status, 128 + SIGABRT);
  EXPECT_TRUE(Says(r, "stdout: core limit 0"));
  EXPECT_TRUE(Says(r, "killed by SIGABRT"));
  EXPECT_FALSE(HasCore(dir.path()));
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));

  const std::string expecting = dir.Write("core.yaml", R"(scenario: core
program: [@ADV@/core_dump, @TAG@]
roles: {main: main}
expect:
  - killed: {process: main, sig: SIGABRT, core: true}
)",
                                          o.tag);
  const std::string report = dir.path() + "/core.json";
  Outcome run = RunProclab({"run", "--report", "json:" + report, expecting}, o);
  EXPECT_EQ(run.status, 0) << ReadFile(report).substr(0, 3000);
  EXPECT_NE(ReadFile(report).find("the lab removed it"), std::string::npos);
  EXPECT_FALSE(HasCore(dir.path()));
  EXPECT_TRUE(Contained(run));

  Outcome direct =
      RunCommand({"/bin/sh", "-c", "ulimit -c unlimited; exec \"$0\"", Program("core_dump")}, o);
  EXPECT_EQ(direct.status, 128 + SIGABRT);
  const std::string pattern = ReadFile("/proc/sys/kernel/core_pattern");
  if (pattern.rfind("core", 0) == 0) {
    EXPECT_TRUE(HasCore(dir.path())) << "the control made no core";
  }
  for (const auto& e : fs::directory_iterator(dir.path()))
    if (IsCore(e.path())) fs::remove(e.path());

  // A file of the user's that happens to be called "core" survives a run
  // that expects a core, unchanged. The kernel would unlink it to dump
  // there, so the lab lets that run dump no core, and the verdict says why.
  // Negative control: the first run above, in the same folder without the
  // file, did dump (and the lab removed the dump).
  const std::string mine = dir.Write("core", "precious\n");
  chmod(mine.c_str(), 0666);
  struct stat before {};
  ASSERT_EQ(lstat(mine.c_str(), &before), 0);
  Outcome again = RunProclab({"run", expecting}, o);
  EXPECT_EQ(again.status, 1) << again.out;
  EXPECT_TRUE(Says(again,
                   "without a core dump: the lab let no process of this run dump a core: "
                   "core was already in the program's folder"))
      << again.out;
  EXPECT_EQ(ReadFile(mine), "precious\n");
  struct stat after {};
  ASSERT_EQ(lstat(mine.c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, before.st_ino) << "the file was replaced";
  EXPECT_EQ(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
  EXPECT_TRUE(Contained(again));
}

class Environ : public ::testing::TestWithParam<std::string> {};

// Why §11: with `--user root`, the program could read the caller's
// environment from the lab's /proc/1/environ. The lab scrubs its own
// environment before the program starts. The lab is the program's parent
// here ($PPID: 1 in a PID namespace). Negative control: the same check finds
// the secret in a process that has it.
TEST_P(Environ, ARootProgramCannotReadTheCallersEnvironmentFromTheLab) {
  Options o = Tagged();
  const std::string secret = "ADV_SECRET_" + std::to_string(getpid());
  o.env = {"ADV_CALLER_SECRET=" + secret};
  const std::string probe =
      "if grep -q " + secret + " /proc/$PPID/environ; then echo leaked; else echo clean $?; fi";
  Outcome r = RunProclab({"trace", "--isolation", GetParam(), "--user", "root", "-e",
                          "ADV_TAG=" + o.tag, "--", "/bin/sh", "-c", probe},
                         o);
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_TRUE(Says(r, "stdout: clean 1")) << "grep's 1: read, and not found";
  EXPECT_FALSE(Says(r, "stdout: leaked"));
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
  Outcome control = RunCommand(
      {"/bin/sh", "-c", "if grep -q " + secret + " /proc/$$/environ; then echo leaked; fi"}, o);
  EXPECT_TRUE(Says(control, "leaked"));
}

INSTANTIATE_TEST_SUITE_P(Isolation, Environ, ::testing::Values("namespace", "subreaper"));

}  // namespace
}  // namespace proclab::testing::adversarial
