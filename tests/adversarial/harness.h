// The adversarial suite's harness: runs proclab (optionally inside
// tests/adversarial/sandbox) the way a user would, and checks afterwards
// that it left nothing behind.
//
// Containment is checked three ways, by pid:
//  - the test process is a child subreaper, so any process of the run that
//    outlived proclab (and the sandbox) becomes the test's child, and is
//    found in /proc/self/task/*/children;
//  - every process whose command line or environment holds the run's tag
//    (a word the test passes as an argument or with `-e ADV_TAG=`) is found
//    by a scan of /proc;
//  - inside the sandbox, its PID 1 names what is left in the namespace once
//    proclab has exited ("sandbox: left alive: PID COMM").
// And by cgroup: while proclab runs, the tasks of its job-slot groups
// (proclab-PID/slot-N under the caller's pids and memory groups, see
// runner/run/cgroup_slots.cc) are sampled; once it has exited, its groups
// must be gone, or at least empty.
//
// Whatever is found left is killed before Run returns, so a failing test
// still leaves nothing behind.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/integration/cli_runner.h"

namespace proclab::testing::adversarial {

// A program of the suite (tests/adversarial/NAME.c), as built.
std::string Program(const std::string& name);
// A tracee of tests/tracees/NAME.c, as built.
std::string Tracee(const std::string& name);

// A word no other run on the machine uses: "adv-TEST-PID-N".
std::string NewTag();

// A folder of the test's own in /tmp, removed with the object. Anyone may
// read it (programs run as nobody when the tests are root, with their cwd
// often here); `writable` lets anyone write in it too.
class Scratch {
 public:
  explicit Scratch(bool writable = false);
  ~Scratch();
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  const std::string& path() const { return path_; }
  // Writes `text` to path()/name, with @ADV@ (this suite's programs),
  // @TRACEES@ and @TAG@ replaced; returns the file's path.
  std::string Write(const std::string& name, const std::string& text,
                    const std::string& tag = "") const;

 private:
  std::string path_;
};

struct Options {
  std::string tag;               // processes holding this word belong to the run
  std::string cwd;               // where proclab runs (default: the test's folder)
  std::vector<std::string> env;  // KEY=VALUE added to proclab's environment
  bool sandbox = false;          // inside tests/adversarial/sandbox
  int pid_max = 4000;            // the sandbox's
  int memory_mb = 1024;          // the sandbox's
  int extra_fds = 0;             // descriptors proclab inherits open (not close-on-exec)
  int tty = -1;                  // a pty's slave: proclab's stdin and controlling terminal
  double deadline_s = 90;        // proclab is SIGKILLed after this long
  bool keep_groups = false;      // leave the groups it left (named in groups_left) in place
  // Called in the test while proclab runs, with its pid. Run waits for
  // proclab once it returns.
  std::function<void(pid_t)> during;
};

struct Outcome : Ran {
  pid_t pid = 0;              // proclab's (or the sandbox's) pid
  double seconds = 0;         // wall time until it exited
  bool hit_deadline = false;  // Options::deadline_s passed: the harness killed it
  bool sandboxed = false;
  int max_slot_tasks = 0;                // most tasks seen at once in its job-slot cgroups
  std::vector<std::string> left;         // "PID command" of each process left alive
  std::vector<std::string> groups_left;  // its cgroups that outlived it, with their tasks
};

// Runs build/proclab with `args`.
Outcome RunProclab(const std::vector<std::string>& args, const Options& options = {});

// Options carrying a fresh tag (see NewTag), in the sandbox or not.
Options Tagged(bool sandbox = false, int memory_mb = 512);

// `proclab trace` of argv, tagged: the tag goes in the environment, and as
// the last argument (our programs ignore extra arguments).
Outcome TraceTagged(const Options& o, std::vector<std::string> flags,
                    std::vector<std::string> argv);

// How often `what` occurs in `text`.
size_t Count(const std::string& text, const std::string& what);

// The first number after `prefix` in `text`, or -1.
long NumberAfter(const std::string& text, const std::string& prefix);
// Runs any command the same way (for negative controls without proclab).
Outcome RunCommand(const std::vector<std::string>& argv, const Options& options = {});

// The phrase is in stdout or stderr.
::testing::AssertionResult Says(const Ran& r, const std::string& phrase);
// Nothing of the run is left: no process, no cgroup; the sandbox (if any)
// was made, and proclab ended on its own.
::testing::AssertionResult Contained(const Outcome& r);
// Peak resident memory below 150 MiB (Build §3: a single run at the default
// caps), or below `mib`. Not checked in a sanitized build (it measures the
// sanitizer).
::testing::AssertionResult Small(const Outcome& r, int64_t mib = 150);

// True in a build with the sanitizers, where proclab is several times
// slower and bigger: time limits are multiplied by Slack(), and the
// sandbox's memory by 4.
bool Sanitized();
double Slack();

// Skips the test when the sandbox could not be made (exit 77).
#define SKIP_WITHOUT_SANDBOX(r)                                                 \
  do {                                                                          \
    if ((r).sandboxed && (r).status == 77 && Says((r), "sandbox: "))            \
      GTEST_SKIP() << "no sandbox on this machine: " << (r).err.substr(0, 200); \
  } while (0)

nlohmann::json ReadJson(const std::string& path);
// A json report without the runs' "trace" documents (a flood's is huge).
nlohmann::json ReadJsonWithoutTraces(const std::string& path);
std::string ReadFile(const std::string& path);
// The lines of the program's output in a trace document, in order, with the
// stream: "stdout: TEXT" (TEXT without its newline).
std::vector<std::string> OutputLines(const nlohmann::json& trace);
// Events of `type` in a trace document.
std::vector<nlohmann::json> EventsOf(const nlohmann::json& trace, const std::string& type);

}  // namespace proclab::testing::adversarial
