// The Scenario: one model for both syntaxes (YAML and Lua). It says what to
// start (built-in actors or a program), which stimuli to apply (steps), and
// what must be observed (expectations). Every element remembers where in the
// file it was written, so every complaint can point at it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "runner/base/error.h"
#include "runner/scenario/event_name.h"
#include "runner/scenario/measure.h"
#include "runner/scenario/resource_check.h"
#include "runner/scenario/script.h"
#include "runner/timeline/event.h"

namespace proclab {

// A count that is either exact or a range: `count: 3`, `count: {min: 2, max: 5}`.
struct IntRange {
  std::optional<int64_t> min, max;
  static IntRange Exactly(int64_t n) { return {n, n}; }
  [[nodiscard]] bool Contains(int64_t n) const {
    return (!min || n >= *min) && (!max || n <= *max);
  }
  [[nodiscard]] bool empty() const { return !min && !max; }
  [[nodiscard]] std::string Describe() const;  // "3", "at least 2", "between 2 and 5", "at most 4"
};

// One thing a built-in actor does, run in order inside its forked process.
struct Action {
  enum class Kind {
    kFork,
    kExec,
    kSleep,
    kExit,
    kKill,
    kSignal,
    kWait,
    kWaitpid,
    kPrint,
    kCheckpoint,
    kPause,
    kAlarm,
    kNice,
    kSetsid,
    kLoop,
  };
  enum class Disposition { kDefault, kIgnore, kHandle };
  Kind kind = Kind::kSleep;
  SourceLoc loc;
  std::string name;               // fork: actor; kill: target; wait: process or "any"; checkpoint
  std::vector<std::string> argv;  // exec
  int64_t us = 0;                 // sleep, alarm
  int number = 0;                 // exit code, nice increment, loop count
  int sig = 0;                    // kill, signal
  bool nohang = false;            // waitpid
  std::string text;               // print
  Disposition disposition = Disposition::kDefault;  // signal
  std::vector<Action> body;                         // loop body, or the handler's actions
  SourceLoc name_loc;                               // where `name` is written (for errors about it)
};

struct Actor {
  std::string name;
  SourceLoc loc;
  std::vector<Action> actions;
  int lua_function = -1;  // a Lua actor: registry reference of its function
};

// A name for processes of a program's tree. All given filters must hold.
struct Role {
  std::string name;
  SourceLoc loc;
  bool main = false;       // the process the lab started
  std::string child_of;    // a process whose parent (at birth) is this role
  int nth = 0;             // with child_of: the nth such child (1-based); 0: every one
  std::string comm;        // /proc comm after exec
  std::string argv_regex;  // matched against argv joined by spaces
  SourceLoc child_of_loc;
  // The same rule (where each is written aside).
  [[nodiscard]] bool SameRule(const Role& o) const {
    return name == o.name && main == o.main && child_of == o.child_of && nth == o.nth &&
           comm == o.comm && argv_regex == o.argv_regex;
  }
  [[nodiscard]] std::string Describe() const;  // "main", "child_of driver", "comm worker", …
};

// The keys a `key` step presses: ctrl-c, ctrl-backslash, ctrl-z, ctrl-d.
const std::vector<std::string>& KeyNames();

struct Step {
  enum class Kind {
    kSleep,
    kWaitFor,
    kSignal,
    kKey,
    kStdin,
    kCloseStdin,
    kExpectOutput,
    kCheckpoint,
    kSettle
  };
  enum class WaitKind { kFork, kExit, kOutput, kCheckpoint };
  Kind kind = Kind::kSleep;
  SourceLoc loc;
  int64_t us = 0;  // sleep; wait_for/expect_output window (0: until timeout)
  WaitKind wait_kind = WaitKind::kFork;
  std::string target;   // a process (wait_for fork/exit, signal) or checkpoint name
  std::string pattern;  // output regex
  std::string by;       // output writer
  std::optional<Stream> stream;
  int sig = 0;
  std::string key;   // "ctrl-c", …
  std::string text;  // stdin text
  SourceLoc target_loc, by_loc, pattern_loc;
  // wait_for / expect_output: a miss ends the run only when required (or
  // when what it waits on never existed); otherwise it is recorded and the
  // steps go on.
  bool required = false;
  std::optional<double> points;  // grading: what a miss costs, within the scenario's points
  // expect_output / wait_for output: also match a line still being written
  // (a prompt). Whole lines only by default.
  bool partial = false;
  int64_t quiet_us = -1;  // settle: how long output must be quiet (-1: the scenario's pace)
};

// Pacing: before a key, stdin or signal step the lab waits until the program
// is at rest — no task running, no output for `quiet_us` — as a person would
// before typing, but never longer than `max_us`.
struct Pace {
  bool on = true;
  int64_t quiet_us = 100'000;
  int64_t max_us = 1'000'000;
};

// `order:` entries are event names (event_name.h).
using OrderItem = EventName;

struct Expectation {
  enum class Kind {
    kExit,
    kKilled,
    kState,
    kParent,
    kReaped,
    kSignal,
    kNoSignal,
    kOrder,
    kOutput,
    kNoOutput,
    kPid,
    kProcesses,
    kDuration,
    kNoLeaks,
    kNoZombies,
    kLua,
    kFiles,
    kCpu,
    kParallelism,
    kRss,
    kValue,
    kCompare,
    kSections,
  };
  Kind kind = Kind::kExit;
  SourceLoc loc;
  std::string process;             // the subject, by actor or role name
  std::optional<int> code;         // exit
  int sig = 0;                     // killed, signal, no_signal (0: any)
  std::optional<bool> core;        // killed
  std::string at;                  // state, parent: checkpoint name
  std::string is;                  // state: running|sleeping|stopped|zombie|gone; parent: NAME|lab
  std::string by;                  // reaped: NAME|lab|kernel; output: writer
  std::string from, to;            // signal, no_signal
  std::optional<Outcome> outcome;  // signal
  IntRange count;                  // signal, output
  IntRange writers;                // output: distinct processes that wrote matching lines
  std::vector<OrderItem> order;
  std::string pattern;           // output, no_output
  std::optional<Stream> stream;  // output, no_output
  int64_t pid = 0;               // pid
  // processes: boxed, as most expectations are not one (a file may hold a
  // hundred thousand expectations; the loader's memory target counts them).
  struct ProcessCounts {
    IntRange max_alive, total, distinct;
  };
  std::shared_ptr<const ProcessCounts> counts;
  std::optional<int64_t> min_us, max_us;  // duration
  bool enabled = true;                    // no_leaks / no_zombies: false opts out
  std::string lua;  // lua: an expression, or (Lua scenarios) empty with lua_function
  int lua_function = -1;
  // Where a field's value is written (line and column of loc.file): a
  // list, not a map, since an expectation has a handful and a file may
  // hold a hundred thousand expectations. `field` is a string literal (the
  // reader's own name for the key), so an entry is 16 bytes.
  struct FieldLoc {
    const char* field = "";
    int line = 0;
    int column = 0;
  };
  std::vector<FieldLoc> where;
  void Remember(const char* field, const SourceLoc& at) {
    where.push_back({field, at.line, at.column});
  }
  // Where `field` is written, else where the expectation is.
  [[nodiscard]] SourceLoc Where(const std::string& field) const;
  std::optional<double> points;  // grading: its weight; unset: an even share
  // output, signal: "after each EVENT (or the first, with `first`), within D"
  std::shared_ptr<const EventName> after;  // boxed: most expectations have none
  std::optional<int64_t> within_us;
  bool first = false;
  // files: a path or glob relative to the run's folder (checked by
  // file_path.h) and what must hold of the entries it matches (`count`,
  // `pattern` for lines of each file); or, with `outside`, that the run left
  // nothing in the world-writable folders. Boxed, as `counts` is.
  struct FileCheck {
    std::string path;
    bool absent = false;
    bool outside = false;
    IntRange size;          // bytes, of each matched file
    std::string file_kind;  // each matched entry: file, folder, symlink, fifo, socket, device
    bool written = false;   // each matched entry was created or changed by the run
  };
  std::shared_ptr<const FileCheck> file;
  // `file`, or an empty FileCheck for expectations of other kinds.
  [[nodiscard]] const FileCheck& Files() const;
  // cpu, parallelism, rss (resource_check.h)
  std::shared_ptr<const ResourceCheck> resources;
  // value, compare, sections (measure.h)
  std::shared_ptr<const ValueCheck> value;
  std::shared_ptr<const CompareCheck> compare;
  std::shared_ptr<const SectionsCheck> sections;
  // duration, cpu, parallelism, rss: bounds on a statistic of the figure
  // across --repeat runs (repeat_stat.h), judged once all runs are in. Kept
  // in `resources` (boxed: a file may hold a hundred thousand expectations).
  [[nodiscard]] const std::vector<StatBound>& Stats() const;
  [[nodiscard]] std::string Describe() const;  // "exit: {process: child, code: 7}", for reports
};

// What a run may use (docs/design.md §3.3 documents each and its default).
struct Limits {
  int processes = 256;              // holding a pid at once, zombies included
  int tasks = 1024;                 // threads and processes together, zombies included
  int64_t memory = 0;               // address space per process (RLIMIT_AS); 0: none
  int64_t memory_total = 0;         // memory of the whole run (its cgroup); 0: none
  int64_t cpu_us = 0;               // CPU time per process (RLIMIT_CPU); 0: none
  int64_t output = 1 << 20;         // bytes kept per stream
  int64_t events = 250'000;         // timeline events kept; the run ends at the cap
  int64_t event_memory = 48 << 20;  // what the kept events may take in memory; the run ends there
  int64_t file_size = 64 << 20;     // largest file a process may write (RLIMIT_FSIZE)
  int open_files = 1024;            // descriptors per process (RLIMIT_NOFILE)
};

struct Scenario {
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  std::string file;  // as given on the command line
  std::string dir;   // absolute folder of the file
  // The file relative to the suite's folder it was found in (the PATH given,
  // or the shipped library), the same on every machine: shards and merged
  // reports name scenarios by it. Empty until the command line sets it.
  std::string suite_path;
  SourceLoc loc;
  int64_t timeout_us = 10'000'000;
  int64_t linger_us = 2'000'000;
  // `sample: 50ms`: read every live process's CPU this often during the run
  // (sample events, for the HTML page); 0: never.
  int64_t sample_us = 0;
  Limits limits;
  double points = 1;
  std::string user;           // who programs run as when proclab is root ("" = nobody)
  bool host_network = false;  // network: host (default: only loopback)
  Pace pace;
  // `cpus: N`: the lab and everything in it run on N CPUs (0: not pinned).
  int cpus = 0;
  // `exclusive: true`: never runs beside another run of the suite (its
  // timings need the machine); also implied by a `parallelism` expectation.
  bool exclusive = false;

  std::vector<Actor> actors;  // built-in actors; actors[start] is started by the lab
  size_t start = 0;
  std::vector<std::string> program;  // or a program's argv
  std::string cwd;                   // absolute; defaults to dir
  // Each run works in a fresh private copy of `cwd` (as grading does), so
  // what one run writes there is not seen by the next. Unset: only when a
  // `files:` expectation looks in the folder.
  std::optional<bool> fresh_cwd;
  std::vector<std::string> env;  // KEY=VALUE, or KEY to remove
  std::optional<std::string> stdin_text;
  bool tty = false;
  std::vector<Role> roles;
  // `roles:` written as a list of assignments: the first is `roles`, these
  // are the others. The judge keeps the one that earns the most points.
  std::vector<std::vector<Role>> alternative_roles;
  std::vector<Step> steps;
  // `measure:` declarations: the names `value` and `compare` may use.
  std::vector<Measure> measures;
  std::vector<Expectation> expectations;

  std::shared_ptr<ScenarioScript> script;  // Lua scenarios: the state their file ran in

  [[nodiscard]] bool has_program() const { return !program.empty(); }
  [[nodiscard]] bool FreshCwd() const;
  // A `files: {outside: none}` expectation looks at the shared folders.
  [[nodiscard]] bool WatchesOutside() const;
  // It must run alone: `exclusive: true`, or a `parallelism` expectation.
  [[nodiscard]] bool RunsAlone() const;
  // A `parallelism` window bounded by events: the lab reads every process's
  // CPU at each event (LabConfig::cpu_readings).
  [[nodiscard]] bool NeedsCpuReadings() const;
  [[nodiscard]] const Measure* FindMeasure(const std::string& name) const;
  // Lua actors written as functions may record any name (lab.measure), so
  // a name no `measure:` declares is not refused.
  [[nodiscard]] bool MeasuresAnyName() const;
  [[nodiscard]] const Actor* FindActor(const std::string& name) const;
  [[nodiscard]] const Role* FindRole(const std::string& name) const;
  // Every name a process can be given in this scenario: actors and roles.
  [[nodiscard]] std::vector<std::string> ProcessNames() const;

 private:
  // name -> index in `actors`, built on first use and checked on every hit,
  // so that validating 40,000 forks is not 40,000 scans.
  mutable std::unordered_map<std::string, size_t> actor_index_;
};

}  // namespace proclab
