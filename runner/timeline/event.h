// One thing that happened in a lab run. The Timeline — an ordered list of these
// — is the only contract between observing (the lab) and judging (expectations,
// reporters, Lua): nothing above it calls ptrace or reads /proc.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runner/timeline/usage.h"

namespace proclab {

enum class EventType {
  kSpawn,            // pid, ppid: the lab started the program's first process
  kExec,             // pid, argv
  kFork,             // pid (new), parent, thread
  kSignalSent,       // sig, from, to | to_group | to_all, via, error
  kSignalDelivered,  // sig, pid, from, outcome
  kStop,             // pid, sig
  kContinue,         // pid
  kOutput,           // pid, stream, text
  kExit,             // pid, code | signal + core
  kReap,             // pid, by
  kReparent,         // pid, from, to
  kCheckpoint,       // name, processes
  kLimit,            // kind, pid, detail; a timeout also snapshots the live processes
  kKilledByLab,      // pid, reason
  kActor,            // pid, name: the process runs the built-in or Lua actor `name`
  kValue,            // pid, name, value: a number a Lua actor measured (lab.measure, lab.lock)
  kSample,           // cpu: each live process's CPU so far (`sample:`, --sample)
};

std::string_view EventTypeName(EventType type);
std::optional<EventType> ParseEventType(std::string_view name);

// Who caused something: a process, or one of the non-process parties.
struct Party {
  enum Kind { kProcess, kKernel, kTty, kLab, kUnknown };
  Kind kind = kUnknown;
  pid_t pid = 0;  // kProcess only

  static Party Process(pid_t p) { return {kProcess, p}; }
  static Party Kernel() { return {kKernel, 0}; }
  static Party Tty() { return {kTty, 0}; }
  static Party Lab() { return {kLab, 0}; }
  [[nodiscard]] bool IsProcess(pid_t p) const { return kind == kProcess && pid == p; }
  bool operator==(const Party&) const = default;
  // "2", "kernel", "tty", "lab", "unknown"
  [[nodiscard]] std::string ToString() const;
};

enum class Outcome { kNone, kHandled, kIgnored, kKilled, kStopped, kContinued };
std::string_view OutcomeName(Outcome outcome);
std::optional<Outcome> ParseOutcome(std::string_view name);

enum class Stream { kStdout, kStderr };
std::string_view StreamName(Stream stream);

// A file lock as /proc/locks lists it, named by what the lab could see.
struct FileLock {
  std::string kind;            // "flock", "posix" (fcntl F_SETLK), "ofd" (fcntl F_OFD_SETLK)
  bool write = true;           // exclusive; false: shared (a read lock, LOCK_SH)
  std::string file;            // a path a process of the run had it open as, else "DEV:INO"
  std::vector<pid_t> held_by;  // a lock waited on: the processes of the run holding it
  bool operator==(const FileLock&) const = default;
};

// State of one process at a checkpoint, or at a timeout.
struct ProcessSnapshot {
  pid_t pid = 0;
  pid_t ppid = 0;
  pid_t pgid = 0;
  pid_t sid = 0;
  char state = '?';  // R S D T t Z as /proc reports it
  int nice = 0;
  int threads = 0;
  int64_t cpu_us = 0;
  std::string name;

  // Only in the snapshot a timeout takes (a `limit` event of kind "timeout"),
  // read from /proc just before the lab kills: where the process was stuck.
  int64_t last_event_us = -1;         // its last event in the timeline (-1: none)
  std::string syscall;                // the call it was blocked in ("pause", "wait4"); "": none
  std::string wchan;                  // the kernel function it slept in, when /proc names one
  int fd = -1;                        // the call's descriptor, for a call that takes one
  std::string file;                   // what `fd` is: "pipe:[123]", "/dev/pts/0", a path
  std::vector<pid_t> pipe_writers;    // a read on a pipe: who held its write end open
  std::vector<FileLock> locks;        // file locks it held
  std::optional<FileLock> lock_wait;  // the file lock it was blocked on
};

struct Event {
  int64_t t_us = 0;
  EventType type = EventType::kSpawn;
  pid_t pid = 0;  // the subject: the new, exec'ing, receiving, writing, exiting process

  // spawn / fork
  pid_t ppid = 0;    // spawn: who started it (the lab's pid)
  pid_t parent = 0;  // fork: the forking process
  bool thread = false;

  // exec
  std::vector<std::string> argv;

  // signals; `sig` also serves stop and exit-by-signal
  int sig = 0;
  Party from;           // signal_sent (the sender), signal_delivered, reparent (old parent)
  pid_t to = 0;         // signal_sent to one process (or thread, see `via`)
  pid_t to_group = 0;   // signal_sent to a process group
  bool to_all = false;  // signal_sent with kill(-1, …)
  std::string via;      // "kill", "tgkill", "tty", "lab", …
  std::string error;    // signal_sent that failed: "ESRCH", "EPERM"; empty on success
  Outcome outcome = Outcome::kNone;

  // output
  Stream stream = Stream::kStdout;
  std::string text;

  // exit
  bool signaled = false;  // false: `code`; true: `sig` and `core`
  int code = 0;
  bool core = false;

  // reap (by), reparent (to)
  Party by;
  pid_t new_parent = 0;

  // checkpoint (and the limit of a timeout: every live process); actor; value
  std::string name;
  double value = 0;  // value: the number measured
  std::vector<ProcessSnapshot> processes;

  // limit / killed_by_lab; a timeout's limit also snapshots `processes`
  std::string kind;    // limit: "processes", "output", "timeout", …
  std::string detail;  // human-readable: "256 live processes", "1MiB on stdout"

  // exit: what the process used (absent in traces written before the
  // figures). Shared, not inline: every event would otherwise carry its size.
  std::shared_ptr<const Usage> usage;
  // Any event, when the run asked for CPU readings (a `parallelism` window):
  // the CPU every live process had used at this moment (usage.h).
  std::vector<CpuReading> cpu;
};

// The process that did `e`, or 0: the writer, the sender, the forking
// parent, the reaper; the receiver of a signal (which woke it); the subject of
// spawn, exec, stop, continue and exit. Reparents, checkpoints and the lab's
// kills are done to processes, not by them.
pid_t DoneBy(const Event& e);

// What an event takes in memory: the struct and whatever its strings and
// lists hold beyond it. A 2-byte output line costs a few hundred bytes, which
// is why the lab caps this and not only the count of events.
size_t Footprint(const Event& e);

}  // namespace proclab
