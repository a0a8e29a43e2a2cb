#include "runner/lab/stuck_snapshot.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <map>
#include <set>

#include "runner/os/proc_fds.h"
#include "runner/os/proc_locks.h"
#include "runner/os/proc_syscall.h"
#include "runner/os/syscall_names.h"

namespace proclab {
namespace {

// Reading every descriptor of a fork bomb at its timeout would take longer
// than the diagnosis is worth: the first processes and descriptors suffice.
constexpr size_t kMaxProcessesRead = 64;
constexpr size_t kMaxFdsRead = 256;
constexpr size_t kMaxLocksShown = 8;

// Calls whose first argument is the descriptor they wait on.
bool TakesFd(const std::string& call) {
  static const std::set<std::string> kCalls = {
      "read",   "write",   "readv",   "writev",   "pread64", "pwrite64", "flock",   "fcntl",
      "accept", "accept4", "connect", "recvfrom", "recvmsg", "sendto",   "sendmsg", "ioctl"};
  return kCalls.count(call) > 0;
}

bool Reads(const std::string& call) {
  return call == "read" || call == "readv" || call == "pread64";
}

// When each live process last did something, counting only events of the
// process that holds its pid now (a pid may have been someone else's).
std::map<pid_t, int64_t> LastEvents(const std::vector<ProcessSnapshot>& live, const Timeline& t) {
  std::set<pid_t> pids;
  for (const auto& s : live) pids.insert(s.pid);
  std::map<pid_t, size_t> born;
  for (const auto& rec : t.Processes())
    if (pids.count(rec.pid)) born[rec.pid] = rec.first_event;  // a pid's latest record comes last
  std::map<pid_t, int64_t> last;
  const auto& events = t.events();
  for (size_t i = 0; i < events.size(); ++i) {
    // A fork is the parent's doing and the child's first event.
    for (pid_t pid :
         {DoneBy(events[i]),
          events[i].type == EventType::kFork && !events[i].thread ? events[i].pid : 0}) {
      auto it = born.find(pid);
      if (pid && it != born.end() && i >= it->second) last[pid] = events[i].t_us;
    }
  }
  return last;
}

std::string FileOf(const std::map<pid_t, std::vector<os::OpenFd>>& fds, const os::ProcLock& l) {
  for (const auto& [pid, list] : fds)
    for (const auto& fd : list)
      if (major(fd.id.dev) == l.major && minor(fd.id.dev) == l.minor && fd.id.ino == l.ino)
        return fd.target;
  return fmt::format("{:02x}:{:02x}:{}", l.major, l.minor, l.ino);
}

}  // namespace

void AddStuckFacts(std::vector<ProcessSnapshot>* snapshot, const Timeline& t) {
  const auto last = LastEvents(*snapshot, t);
  std::map<pid_t, std::vector<os::OpenFd>> fds;
  for (const auto& s : *snapshot)
    if (fds.size() < kMaxProcessesRead) fds[s.pid] = os::ReadOpenFds(s.pid, kMaxFdsRead);
  const auto locks = os::ReadProcLocks();

  // Who holds each held lock: its owner by pid, and every process with a
  // descriptor through which fdinfo lists it (a flock is the open file
  // description's: a child that inherited it holds it too; an OFD lock has
  // no pid at all).
  std::vector<std::vector<pid_t>> holders(locks.size());
  for (size_t i = 0; i < locks.size(); ++i) {
    if (locks[i].waiting) continue;
    std::set<pid_t> who;
    for (const auto& [pid, list] : fds) {
      if (pid == locks[i].pid) who.insert(pid);
      for (const auto& fd : list)
        if (std::find(fd.locks.begin(), fd.locks.end(), locks[i].text) != fd.locks.end())
          who.insert(pid);
    }
    holders[i].assign(who.begin(), who.end());
  }
  auto fact = [&](size_t i) {
    FileLock l;
    l.kind = locks[i].kind;
    l.write = locks[i].write;
    l.file = FileOf(fds, locks[i]);
    return l;
  };

  for (auto& s : *snapshot) {
    if (auto it = last.find(s.pid); it != last.end()) s.last_event_us = it->second;
    const auto& mine = fds[s.pid];
    if (auto call = os::ReadBlockedCall(s.pid)) {
      s.wchan = call->wchan;
      if (!call->running && call->nr >= 0) s.syscall = os::SyscallName(call->nr);
      if (TakesFd(s.syscall)) {
        s.fd = static_cast<int>(call->args[0]);
        for (const auto& fd : mine)
          if (fd.fd == s.fd) s.file = fd.target;
      }
    }
    // A read on a pipe ends only when every write end is closed.
    if (Reads(s.syscall) && s.file.starts_with("pipe:")) {
      const auto self =
          std::find_if(mine.begin(), mine.end(), [&](auto& f) { return f.fd == s.fd; });
      for (const auto& [pid, list] : fds)
        for (const auto& fd : list)
          if (self != mine.end() && fd.id == self->id && fd.access != O_RDONLY &&
              std::find(s.pipe_writers.begin(), s.pipe_writers.end(), pid) == s.pipe_writers.end())
            s.pipe_writers.push_back(pid);
    }
    for (size_t i = 0; i < locks.size(); ++i) {
      if (!locks[i].waiting &&
          std::find(holders[i].begin(), holders[i].end(), s.pid) != holders[i].end() &&
          s.locks.size() < kMaxLocksShown)
        s.locks.push_back(fact(i));
      // An OFD request has no pid: it is ours when we wait in fcntl on its file.
      const bool ours = locks[i].pid == s.pid || (locks[i].pid == -1 && s.syscall == "fcntl" &&
                                                  !s.file.empty() && fact(i).file == s.file);
      if (locks[i].waiting && ours && !s.lock_wait) {
        s.lock_wait = fact(i);
        const int root = os::RootLock(locks, static_cast<int>(i));
        if (root >= 0) s.lock_wait->held_by = holders[static_cast<size_t>(root)];
      }
    }
  }
}

}  // namespace proclab
