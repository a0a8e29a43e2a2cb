// Scripted stop sequences for the supervisor's tests: TraceeOps is a fake
// that answers /proc questions from tables and records each restart, and the
// fixture checks that every stop gets exactly one restart.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "runner/lab/output_capture.h"
#include "runner/lab/supervisor.h"
#include "runner/os/tracee_ops.h"

namespace proclab::testing {

using os::Restart;
using os::StopKind;
using os::TraceStop;

class FakeOps : public os::TraceeOps {
 public:
  std::vector<std::pair<pid_t, Restart>> restarts;
  std::vector<std::pair<pid_t, int>> signals_sent;
  std::map<pid_t, os::ProcStat> stat;
  std::map<pid_t, os::ProcStatus> status;
  std::set<pid_t> gone;

  Status Resume(pid_t tid, const Restart& r) override {
    restarts.emplace_back(tid, r);
    return {};
  }
  Result<bool> SendSignal(pid_t pid, int sig) override {
    signals_sent.emplace_back(pid, sig);
    return !gone.count(pid);
  }
  // Fake pidfds: 1000 + pid, counted per pid so a reused pid gets a new one.
  std::map<int, pid_t> pidfds;
  std::vector<int> closed;
  int OpenPidfd(pid_t pid) override {
    const int fd = 1000 + static_cast<int>(pidfds.size());
    pidfds[fd] = pid;
    return fd;
  }
  void ClosePidfd(int fd) override { closed.push_back(fd); }
  Result<bool> SignalPidfd(int fd, int sig) override {
    if (std::find(closed.begin(), closed.end(), fd) != closed.end())
      ADD_FAILURE() << "signal through a closed pidfd " << fd;
    signals_sent.emplace_back(pidfds[fd], sig);
    return !gone.count(pidfds[fd]);
  }
  bool Gone(pid_t pid) override { return gone.count(pid) > 0; }
  pid_t PidfdTarget(pid_t, int) override { return 0; }
  std::optional<os::ProcStat> Stat(pid_t pid) override {
    if (gone.count(pid) || !stat.count(pid)) return std::nullopt;
    return stat[pid];
  }
  std::optional<os::ProcStatus> StatusOf(pid_t pid) override {
    if (gone.count(pid) || !status.count(pid)) return std::nullopt;
    return status[pid];
  }
  std::optional<os::ProcStatus> SignalMasks(pid_t pid, int) override { return StatusOf(pid); }
  std::vector<std::string> Cmdline(pid_t pid) override { return {"prog" + std::to_string(pid)}; }
  std::string Comm(pid_t pid) override { return "prog" + std::to_string(pid); }
  long ClockTicksPerSecond() override { return 100; }
  // What every write's buffer holds.
  std::string memory;
  std::string ReadMemory(pid_t, uint64_t, size_t len) override { return memory.substr(0, len); }
  std::string ReadIovec(pid_t, uint64_t, int, size_t, uint64_t* total) override {
    *total = 0;
    return {};
  }
  // (tid's process, its fd) -> the lab's descriptor of the same open file.
  std::map<std::pair<pid_t, int>, int> same_as;
  std::optional<bool> SameOpenFile(pid_t tid, int fd, int own_fd) override {
    const pid_t tgid = status.count(tid) ? status[tid].tgid : tid;
    auto it = same_as.find({tgid, fd});
    return it != same_as.end() && it->second == own_fd;
  }
  std::optional<os::FileId> FdTarget(pid_t, int) override { return std::nullopt; }
  bool IsNonBlocking(int) override { return false; }
  int64_t PipeRoom(int) override { return -1; }
  // Each (tid, restart code) asked to undo a restart; `rewound` says whether one was.
  std::vector<std::pair<pid_t, long>> undo_asked;
  bool rewound = false;
  bool UndoSyscallRestart(pid_t tid, long code) override {
    undo_asked.emplace_back(tid, code);
    return rewound;
  }

  // A process `pid` with parent `ppid`, in process group `pgid`.
  void Live(pid_t pid, pid_t ppid, pid_t pgid = 2, pid_t tgid = 0) {
    os::ProcStat st;
    st.state = 'S';
    st.ppid = ppid;
    st.pgid = pgid;
    st.sid = 1;
    stat[pid] = st;
    os::ProcStatus s;
    s.tgid = tgid ? tgid : pid;
    s.ppid = ppid;
    status[pid] = s;
  }
};

class SupervisorTest : public ::testing::Test {
 protected:
  int64_t file_size_limit_ = 0;  // set before Start()
  int max_tasks_ = 0;            // set before Start(); 0: no task cap
  void Start(bool pid_namespace = true, int max_processes = 256, const std::string& actor = "",
             int tty_fd = -1) {
    Supervisor::Options opt;
    opt.tty_fd = tty_fd;
    opt.lab_pid = 1;
    opt.pid_namespace = pid_namespace;
    opt.max_processes = max_processes;
    opt.file_size_limit = file_size_limit_;
    opt.max_tasks = max_tasks_;
    sup_.emplace(
        opt, ops_, [this] { return ++now_; }, [this](Event e) { events_.push_back(std::move(e)); },
        &output_);
    ops_.Live(1, 0, 1);
    ops_.Live(2, 1);
    sup_->AddMain(2, {"prog"}, actor);
  }

  // Handles one stop; checks it got exactly one restart (or none, for a
  // task that is gone) and returns it.
  Restart Handle(const TraceStop& stop) {
    const size_t before = ops_.restarts.size();
    const Restart r = sup_->Handle(stop);
    if (r.op == Restart::Op::kNone || r.op == Restart::Op::kHold) {
      EXPECT_EQ(ops_.restarts.size(), before) << "a gone or held task was restarted";
    } else {
      EXPECT_EQ(ops_.restarts.size(), before + 1) << "one stop, one restart";
      if (ops_.restarts.size() == before + 1) {
        EXPECT_EQ(ops_.restarts.back().first, stop.tid);
        EXPECT_EQ(ops_.restarts.back().second, r);
      }
    }
    return r;
  }

  static TraceStop Stop(pid_t tid, StopKind kind) {
    TraceStop s;
    s.tid = tid;
    s.kind = kind;
    return s;
  }
  static TraceStop Seccomp(pid_t tid, long nr, std::vector<uint64_t> args = {}) {
    TraceStop s = Stop(tid, StopKind::kSeccompStop);
    s.syscall.valid = true;
    s.syscall.nr = nr;
    for (size_t i = 0; i < args.size() && i < 6; ++i) s.syscall.args[i] = args[i];
    return s;
  }
  static TraceStop SyscallEntry(pid_t tid, long nr, std::vector<uint64_t> args = {}) {
    TraceStop s = Seccomp(tid, nr, std::move(args));
    s.kind = StopKind::kSyscallEntry;
    return s;
  }
  static TraceStop SyscallExit(pid_t tid, int64_t rval) {
    TraceStop s = Stop(tid, StopKind::kSyscallExit);
    s.syscall.valid = true;
    s.syscall.rval = rval;
    s.syscall.is_error = rval < 0 && rval > -4096;
    return s;
  }
  static TraceStop ForkEvent(pid_t tid, os::ForkKind kind, pid_t child) {
    TraceStop s = Stop(tid, StopKind::kForkEvent);
    s.fork_kind = kind;
    s.msg = static_cast<unsigned long>(child);
    return s;
  }
  static TraceStop EventStop(pid_t tid, int sig) {
    TraceStop s = Stop(tid, StopKind::kEventStop);
    s.sig = sig;
    return s;
  }
  static TraceStop Delivery(pid_t tid, int sig, int code, pid_t from) {
    TraceStop s = Stop(tid, StopKind::kSignalDelivery);
    s.sig = sig;
    s.info.si_signo = sig;
    s.info.si_code = code;
    s.info.si_pid = from;
    return s;
  }
  static TraceStop Exited(pid_t tid, int code, pid_t ppid) {
    TraceStop s = Stop(tid, StopKind::kExited);
    s.code = code;
    s.ppid = ppid;
    return s;
  }

  [[nodiscard]] std::vector<const Event*> Of(EventType type) const {
    std::vector<const Event*> out;
    for (const auto& e : events_)
      if (e.type == type) out.push_back(&e);
    return out;
  }

  FakeOps ops_;
  int64_t now_ = 0;
  std::vector<Event> events_;
  OutputCapture output_{1 << 20, [this](Event e) { events_.push_back(std::move(e)); }};
  std::optional<Supervisor> sup_;
};

}  // namespace proclab::testing
