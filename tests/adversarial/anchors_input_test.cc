// The 25 adversarial cases of ../shared/research/reliability-anchors.md §4
// (1-20, S1-S5), one test each (S3, PID reuse, is in adversarial_test.cc).
// "In every case the runner survives, leaves populated 0 and gives a clear
// diagnosis": each test asserts containment (by pid and by cgroup, see
// harness.h), the diagnosis text, proclab's exit status and its peak
// memory, with a negative control where one makes sense.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/adversarial/harness.h"

namespace proclab::testing::adversarial {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Anchor 16: exec from a non-leader thread keeps one process with a stable
// pid (the exec is the leader's); a vfork child that never execs leaves its
// parent suspended, and the timeout still ends both.
TEST(Anchor, ExecFromAThreadAndAStuckVforkAreHandled) {
  Options o = Tagged();
  Scratch dir;
  const std::string json = dir.path() + "/thread.json";
  Outcome exec = TraceTagged(o, {"--json", json}, {Tracee("thread_exec"), o.tag});
  EXPECT_EQ(exec.status, 0) << exec.out;
  EXPECT_TRUE(Says(exec, "stdout: exec from a thread"));
  const nlohmann::json trace = ReadJson(json);
  ASSERT_TRUE(trace.is_object());
  EXPECT_EQ(trace["processes"].size(), 1u) << trace["processes"].dump();
  const int main_pid = trace["main_pid"];
  const auto execs = EventsOf(trace, "exec");
  ASSERT_EQ(execs.size(), 2u);  // the program's own, then the thread's
  for (const auto& e : execs) EXPECT_EQ(e["pid"], main_pid);
  EXPECT_EQ(execs[1]["name"], "echo");
  EXPECT_TRUE(Contained(exec));
  EXPECT_TRUE(Small(exec));

  Outcome vfork = TraceTagged(o, {"--timeout", "1s"}, {Program("vfork_stuck"), o.tag});
  EXPECT_EQ(vfork.status, 137);
  EXPECT_TRUE(Says(vfork, "limit timeout: the run passed its 1s timeout"));
  EXPECT_TRUE(Says(vfork, "2 vfork_stuck (timeout)"));
  EXPECT_TRUE(Says(vfork, "3 vfork_stuck (timeout)"));
  EXPECT_LT(vfork.seconds, 5);
  EXPECT_TRUE(Contained(vfork));
}

// Anchor 17: exec fails (ENOENT, no +x, a bad ELF, a bad shebang): "could
// not start" with the errno, status 127 or 126, and `launch_error` in the
// JSON. Negative control: a program that exits 127 itself is an exit 127,
// with no launch error.
TEST(Anchor, AFailedExecIsACouldNotStartNotAnExitCode) {
  Options o = Tagged();
  Scratch dir;
  const std::string no_x = dir.Write("no-x", "#!/bin/sh\necho hi\n");
  const std::string bad_elf = dir.Write("bad-elf",
                                        "\x7f"
                                        "ELF\x02\x01\x01garbage");
  chmod(bad_elf.c_str(), 0755);
  const std::string bad_shebang = dir.Write("bad-shebang", "#!/no/such/interpreter\necho hi\n");
  chmod(bad_shebang.c_str(), 0755);
  struct Case {
    std::string path;
    int status;
    std::string why;
  };
  for (const Case& c : {Case{dir.path() + "/missing", 127, "No such file or directory (ENOENT)"},
                        Case{no_x, 126, "Permission denied (EACCES)"},
                        Case{bad_elf, 126, "Exec format error (ENOEXEC)"},
                        Case{bad_shebang, 127, "No such file or directory (ENOENT)"}}) {
    const std::string json = dir.path() + "/launch.json";
    Outcome r = TraceTagged(o, {"--json", json}, {c.path});
    EXPECT_EQ(r.status, c.status) << c.path;
    EXPECT_TRUE(
        Says(r, fmt::format("could not start '{}': execve({}): {}", c.path, c.path, c.why)));
    EXPECT_NE(ReadJson(json).value("launch_error", ""), "") << c.path;
    EXPECT_TRUE(Contained(r));
    EXPECT_TRUE(Small(r));
  }
  const std::string json = dir.path() + "/own.json";
  Outcome own = TraceTagged(o, {"--json", json}, {Tracee("exit_with"), "code", "127", o.tag});
  EXPECT_EQ(own.status, 127);
  EXPECT_TRUE(Says(own, "exit 127"));
  EXPECT_FALSE(Says(own, "could not start"));
  EXPECT_FALSE(ReadJson(json).contains("launch_error"));
  // In a scenario, the same: a launch failure is the reason, not "exit 127".
  const std::string scenario =
      dir.Write("missing.yaml", "scenario: missing\nprogram: [" + dir.path() + "/missing]\n");
  Outcome run = RunProclab({"run", scenario}, o);
  EXPECT_EQ(run.status, 1);
  EXPECT_TRUE(Says(run, "could not start '" + dir.path() + "/missing'"));
}

// Anchor 18: exit(143) and death by SIGTERM are told apart (trace's status
// is 143 for both, as wrappers have it; the text and the JSON are not), and
// abort() is a signal with its core.
TEST(Anchor, Exit143SigtermAndAbortAreToldApart) {
  Options o = Tagged();
  Scratch dir;
  const std::string json = dir.path() + "/t.json";
  Outcome code = TraceTagged(o, {"--json", json}, {Tracee("exit_with"), "code", "143", o.tag});
  EXPECT_EQ(code.status, 143);
  EXPECT_TRUE(Says(code, "exit 143"));
  EXPECT_FALSE(Says(code, "SIGTERM"));
  EXPECT_EQ(ReadJson(json)["processes"][0]["exit"], nlohmann::json({{"code", 143}}));
  Outcome term = TraceTagged(o, {"--json", json}, {Tracee("exit_with"), "signal", "15", o.tag});
  EXPECT_EQ(term.status, 143);
  EXPECT_TRUE(Says(term, "killed by SIGTERM"));
  EXPECT_FALSE(Says(term, "exit 143"));
  EXPECT_EQ(ReadJson(json)["processes"][0]["exit"]["signal"], "SIGTERM");
  for (const Outcome* r : {&code, &term}) {
    EXPECT_TRUE(Contained(*r));
    EXPECT_TRUE(Small(*r));
  }
  const std::string scenario = dir.Write("abort.yaml", R"(scenario: aborts
program: [@TRACEES@/exit_with, abort, @TAG@]
roles: {main: main}
expect:
  - killed: {process: main, sig: SIGABRT, core: true}
)",
                                         o.tag);
  Outcome abort = RunProclab({"run", scenario}, o);
  EXPECT_EQ(abort.status, 0) << abort.out;
  EXPECT_TRUE(Contained(abort));
  const std::string exit_code = dir.Write("abort-exit.yaml", R"(scenario: aborts-not-exits
program: [@TRACEES@/exit_with, abort, @TAG@]
roles: {main: main}
expect:
  - exit: {process: main, code: 134}
)",
                                          o.tag);
  Outcome wrong = RunProclab({"run", exit_code}, o);
  EXPECT_EQ(wrong.status, 1);
  EXPECT_TRUE(Says(wrong, "SIGABRT"));
}

// A pty for the harness to give proclab as its controlling terminal.
struct Pty {
  int master = -1, slave = -1;
  Pty() {
    master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) return;
    slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
    termios t{};
    tcgetattr(slave, &t);
    cfmakeraw(&t);
    tcsetattr(slave, TCSANOW, &t);
  }
  ~Pty() {
    close(slave);
    close(master);
  }
  // What is waiting to be read on the terminal: what anyone typed.
  std::string Typed() const {
    std::string typed;
    fcntl(slave, F_SETFL, fcntl(slave, F_GETFL) | O_NONBLOCK);
    char buf[256];
    for (ssize_t n; (n = read(slave, buf, sizeof buf)) > 0;)
      typed.append(buf, static_cast<size_t>(n));
    return typed;
  }
};

// Anchor 19: TIOCSTI and TIOCLINUX from a program running as root, with a
// terminal of proclab's own (the test's pty) and in a scenario with
// `tty: true`: nothing is typed into proclab's terminal, and the last bytes
// the program wrote (without a newline) are captured. Negative control: the
// same program run directly types into that terminal.
TEST(Anchor, AProgramCannotTypeIntoTheCallersTerminal) {
  Options o = Tagged();
  Pty pty;
  ASSERT_GE(pty.slave, 0);
  o.tty = pty.slave;
  Outcome r = TraceTagged(o, {"--user", "root"}, {Program("tty_inject"), o.tag});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_TRUE(Says(r, "stdout: last words"));
  EXPECT_EQ(pty.Typed(), "");
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));

  Scratch dir;
  const std::string scenario = dir.Write("tty.yaml", R"(scenario: types
user: root
tty: true
program: [@ADV@/tty_inject, @TAG@]
roles: {main: main}
expect:
  - output: {match: "^last words$"}
)",
                                         o.tag);
  Outcome in_tty = RunProclab({"run", scenario}, o);
  EXPECT_EQ(in_tty.status, 0) << in_tty.out;
  EXPECT_EQ(pty.Typed(), "");
  EXPECT_TRUE(Contained(in_tty));

  Outcome direct = RunCommand({Program("tty_inject"), o.tag}, o);
  const std::string typed = pty.Typed();
  if (Says(direct, "TIOCSTI on fd 0: typed"))
    EXPECT_NE(typed.find("echo INJECTED"), std::string::npos) << "the control typed nothing";
  else
    GTEST_SKIP() << "TIOCSTI is refused on this machine; the control cannot type: " << direct.out;
}

// Anchor 20, under the default limits: a program running out of
// descriptors stops at 1024 (and inherits only 0-2, though proclab holds
// 100 more), one writing 1 GiB stops at 64MiB (SIGXFSZ, named), and one
// connecting out finds nothing (the Isolation/BothModes network test checks
// the host's loopback in detail).
TEST(Anchor, DefaultLimitsStopFdHogsBigWritesAndOutboundConnections) {
  Options o = Tagged();
  o.extra_fds = 100;
  Outcome fds = TraceTagged(o, {}, {Program("fd_hog"), o.tag});
  EXPECT_EQ(fds.status, 0);
  EXPECT_TRUE(Says(fds, "stdout: inherited 0 fds beyond 0-2"));
  EXPECT_TRUE(Says(fds, "stdout: opened 1021, then EMFILE"));
  EXPECT_TRUE(Contained(fds));
  EXPECT_TRUE(Small(fds));

  Scratch dir(/*writable=*/true);
  o.cwd = dir.path();
  Outcome big = TraceTagged(o, {}, {Program("big_file"), o.tag});
  EXPECT_EQ(big.status, 128 + SIGXFSZ);
  EXPECT_TRUE(Says(big, "limit file_size: wrote past its 64MiB file size limit (SIGXFSZ)"));
  EXPECT_EQ(fs::file_size(dir.path() + "/big.out"), 64u << 20);
  fs::remove(dir.path() + "/big.out");
  EXPECT_TRUE(Contained(big));

  Outcome net = TraceTagged(o, {},
                            {"/usr/bin/python3", "-c",
                             "import socket\ntry:\n socket.create_connection(('1.1.1.1', 53), "
                             "timeout=2); print('reached')\nexcept OSError as e:\n "
                             "print('no network:', e.errno)"});
  EXPECT_EQ(net.status, 0);
  EXPECT_TRUE(Says(net, "stdout: no network: 101"));  // ENETUNREACH
  EXPECT_TRUE(Contained(net));
}

// Anchor S1: a timeout of 0, negative, huge or not a number, and an unknown
// signal name: each file is rejected with file:line:col before anything is
// spawned. Negative control: the valid scenario alone does run (it leaves
// a mark).
TEST(Anchor, BadDurationsAndSignalsAreRejectedBeforeAnythingRuns) {
  Options o = Tagged();
  Scratch dir(/*writable=*/true);
  const std::string mark = dir.path() + "/ran";
  const std::string valid =
      dir.Write("valid.yaml", "scenario: valid\nprogram: [/bin/touch, " + mark + "]\n");
  struct Bad {
    std::string file, text, error;
  };
  const std::vector<Bad> bad = {
      {"zero", "timeout: 0s", "zero.yaml:2:10: error: timeout must be more than 0"},
      {"negative", "timeout: -1s",
       "negative.yaml:2:10: error: timeout: a duration cannot be negative"},
      {"huge", "timeout: 10000000h",
       "huge.yaml:2:10: error: timeout: '10000000h' is not a duration"},
      {"nan", "timeout: soon", "nan.yaml:2:10: error: timeout: 'soon' is not a duration"},
      {"unit", "timeout: 5", "unit.yaml:2:10: error: timeout: '5' has no unit; did you mean 5s?"},
      {"signal", "steps:\n  - signal: {to: main, sig: SIGFOO}",
       "signal.yaml:3:29: error: signal.sig: 'SIGFOO' is not a signal"},
  };
  for (const Bad& b : bad)
    dir.Write(b.file + ".yaml", "scenario: " + b.file + "\n" + b.text + "\nprogram: [/bin/touch, " +
                                    mark + "]\nroles: {main: main}\n");
  Outcome r = RunProclab({"run", dir.path()}, o);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(
      Says(r, fmt::format("proclab: {} invalid scenario files; nothing was run", bad.size())));
  for (const Bad& b : bad) EXPECT_TRUE(Says(r, b.error));
  EXPECT_FALSE(fs::exists(mark)) << "something ran";
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
  Outcome control = RunProclab({"run", valid}, o);
  EXPECT_EQ(control.status, 0) << control.out;
  EXPECT_TRUE(fs::exists(mark));
}

// Anchor S2: paths in a scenario give a program no more than its user may
// have. proclab does not confine paths (a scenario may name /bin/echo or
// `cwd: /etc`): its confinement is the user programs run as (nobody, when
// proclab is root). A C program is compiled as that user too: the compiler
// must not read, for the program, what its user may not (a symlink x.c to
// a private file, or an #include of one). Negative controls: the program
// itself cannot read the file; the same compile with `user: root` does
// quote it, so the check below sees a leak when there is one; an ordinary
// readable C program still compiles and runs as nobody.
TEST(Anchor, ScenarioPathsGiveNoMoreThanTheProgramsUserMay) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root: programs then run as nobody";
  Options o = Tagged();
  Scratch private_dir;
  chmod(private_dir.path().c_str(), 0700);
  const std::string secret_word = "ADV_SECRET_" + std::to_string(getpid());
  const std::string secret = private_dir.Write("secret", "int " + secret_word + " = 1 +;\n");
  chmod(secret.c_str(), 0600);
  Scratch dir;
  dir.Write("include.c", "#include \"" + secret + "\"\nint main(void) { return 0; }\n");
  fs::create_symlink(secret, dir.path() + "/link.c");
  const std::string read = dir.Write("read.yaml", "scenario: read\nprogram: [/bin/cat, " + secret +
                                                      "]\nroles: {main: main}\nexpect:\n  - exit: "
                                                      "{process: main, code: 0}\n");
  Outcome cat = RunProclab({"run", read}, o);
  EXPECT_EQ(cat.status, 1) << cat.out;
  EXPECT_FALSE(Says(cat, secret_word)) << "the program read a private file";
  EXPECT_TRUE(Contained(cat));
  for (const std::string program : {"include.c", "link.c"}) {
    const std::string scenario =
        dir.Write(program + ".yaml", "scenario: compile\nprogram: [" + program + "]\n");
    Outcome r = RunProclab({"run", scenario}, o);
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_TRUE(Says(r, "could not compile"));
    EXPECT_TRUE(Says(r, "Permission denied")) << program << " failed for another reason";
    EXPECT_FALSE(Says(r, secret_word))
        << program << ": the compiler's errors quoted a file the program's user cannot read";
    EXPECT_TRUE(Contained(r));
    EXPECT_TRUE(Small(r));
    const std::string as_root =
        dir.Write(program + "-root.yaml",
                  "scenario: compile-as-root\nuser: root\nprogram: [" + program + "]\n");
    Outcome control = RunProclab({"run", as_root}, o);
    EXPECT_EQ(control.status, 1) << control.out;
    EXPECT_TRUE(Says(control, secret_word)) << program << ": root's compile should quote it";
  }
  dir.Write("ok.c",
            "#include <stdio.h>\n#include <unistd.h>\nint main(void) { printf(\"uid "
            "%d\\n\", (int)getuid()); return 0; }\n/* " +
                o.tag + " */\n");
  const passwd* nobody = getpwnam("nobody");
  const std::string ok = dir.Write(
      "ok.yaml", fmt::format("scenario: ok\nprogram: [ok.c]\nexpect:\n  - output: {{match: \"^uid "
                             "{}$\"}}\n",
                             nobody ? nobody->pw_uid : 65534));
  Outcome fine = RunProclab({"run", ok}, o);
  EXPECT_EQ(fine.status, 0) << fine.out;
  EXPECT_TRUE(Contained(fine));
}

// Anchor S4: a step waits for output that never comes: the run fails at
// the scenario's timeout, the message quotes the regex and the last five
// lines of output, and the tree (a child too) is killed.
TEST(Anchor, AnAwaitedLineThatNeverComesFailsAtTheTimeoutWithTheTail) {
  Options o = Tagged();
  Scratch dir;
  const std::string scenario = dir.Write("never.yaml", R"(scenario: never
timeout: 1500ms
program: [/bin/sh, -c, 'for i in 1 2 3 4 5 6 7; do echo line $i; done; sleep 30 & sleep 30', @TAG@]
env: {ADV_TAG: @TAG@}
steps:
  - wait_for: {output: "^ready$"}
)",
                                         o.tag);
  Outcome r = RunProclab({"run", scenario}, o);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_TRUE(Says(r,
                   "step 1 (wait_for output '^ready$'): no line matching '^ready$' was printed "
                   "— and the run ended"));
  EXPECT_TRUE(Says(r, "the last output was:"));
  EXPECT_TRUE(Says(r, "stdout: line 7"));
  EXPECT_TRUE(Says(r, "stdout: line 3"));
  EXPECT_FALSE(Says(r, "stdout: line 2"));  // five lines, not more
  EXPECT_TRUE(Says(r, "the run did not finish within 1.5s; the lab killed what was left"));
  EXPECT_LT(r.seconds, 6);
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
}

// Anchor S5: malformed, huge, deeply nested and binary files, NUL and
// non-UTF-8 bytes: each is a parse error with its place (or, if valid,
// loads), never a crash, quickly, in little memory.
TEST(Anchor, MalformedHugeAndDeepFilesAreRejectedQuickly) {
  Options o = Tagged();
  Scratch dir;
  auto write = [&](const std::string& name, const std::string& text) {
    const std::string path = dir.path() + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  };
  std::string laughs =
      "scenario: x\nactors:\n  main:\n    - loop: {times: 1, do: &a0 [{print: hi}, "
      "{print: hi}]}\n";
  for (int i = 1; i < 40; ++i)
    laughs += fmt::format(
        "    - loop: {{times: 1, do: &a{0} [{{loop: {{times: 1, do: *a{1}}}}}, "
        "{{loop: {{times: 1, do: *a{1}}}}}]}}\n",
        i, i - 1);
  std::string binary;
  for (int i = 0; i < 25600; ++i) binary += static_cast<char>(i % 256);
  struct Case {
    std::string path;
    int status;
    std::string says;
  };
  const std::vector<Case> cases = {
      {write("unclosed.yaml", "scenario: x\nactors:\n  main: [{exit: 0}\n"), 2,
       "unclosed.yaml:4:1: error: malformed YAML: did not find expected ',' or ']'"},
      {write("laughs.yaml", laughs), 2,
       "error: the scenario is too large (more than 200000 entries"},
      {write("binary.yaml", binary), 2, "binary.yaml:1:1: error: malformed YAML"},
      {write("empty.yaml", ""), 2, "empty.yaml:1:1: error: the file is empty"},
      {write("latin1.yaml", "scenario: x\nprogram: [/bin/echo, \"caf\xe9\"]\n"), 2,
       "error: malformed YAML: invalid trailing UTF-8 octet"},
      {write("nul.yaml", "scenario: x\nprogram: [/bin/echo, \"a\\0b\"]\n"), 2,
       "nul.yaml:2:22: error: program holds a NUL character"},
      {write("deep.lua", "return " + std::string(100000, '{') + std::string(100000, '}') + "\n"), 2,
       "deep.lua: error:"},
      {write("huge-line.yaml",
             "scenario: x\nactors:\n  main: [{print: \"" + std::string(10 << 20, 'y') + "\"}]\n"),
       0, "1 scenario OK"},
  };
  for (const Case& c : cases) {
    Outcome r = RunProclab({"check", c.path}, o);
    EXPECT_EQ(r.status, c.status) << c.path << "\n" << r.err.substr(0, 500);
    EXPECT_TRUE(Says(r, c.says));
    EXPECT_LT(r.seconds, 4 * Slack()) << c.path;
    EXPECT_TRUE(Contained(r));
    EXPECT_TRUE(Small(r)) << c.path;
  }
  // Deep nesting: the reader allows 64 levels of actions, but the parser
  // gets there in time quadratic in the depth (libyaml's flow levels).
  const int depth = 30000;
  const std::string deep =
      write("deep.yaml", "scenario: x\nactors:\n  main: " + std::string(depth, '[') +
                             std::string(depth, ']') + "\n");
  Outcome r = RunProclab({"check", deep}, o);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(Says(r, "deep.yaml:3:"));
  EXPECT_TRUE(Contained(r));
  EXPECT_TRUE(Small(r));
  // Linear, it takes as long as any small file (tens of ms): the nest is
  // refused before libyaml, whose scan of it is quadratic in the depth.
  EXPECT_TRUE(Says(r, "collections are nested more than 256 levels deep")) << r.err;
  EXPECT_LT(r.seconds, 0.75 * Slack())
      << (2 * depth + 30) / 1000 << " KB file of " << depth << " nested '['";
}

}  // namespace
}  // namespace proclab::testing::adversarial
