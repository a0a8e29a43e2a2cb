#include "runner/os/syscall_names.h"

#include <fmt/format.h>
#include <sys/syscall.h>

#include <map>

namespace proclab::os {

#define PROCLAB_SYSCALL(name) \
  { SYS_##name, #name }

std::string SyscallName(long nr) {
  static const std::map<long, const char*> kNames = {
    // Calls a process waits in.
    PROCLAB_SYSCALL(read),
    PROCLAB_SYSCALL(write),
    PROCLAB_SYSCALL(readv),
    PROCLAB_SYSCALL(writev),
    PROCLAB_SYSCALL(pread64),
    PROCLAB_SYSCALL(pwrite64),
    PROCLAB_SYSCALL(openat),
    PROCLAB_SYSCALL(nanosleep),
    PROCLAB_SYSCALL(clock_nanosleep),
    PROCLAB_SYSCALL(wait4),
    PROCLAB_SYSCALL(waitid),
    PROCLAB_SYSCALL(rt_sigsuspend),
    PROCLAB_SYSCALL(rt_sigtimedwait),
    PROCLAB_SYSCALL(futex),
    PROCLAB_SYSCALL(flock),
    PROCLAB_SYSCALL(fcntl),
    PROCLAB_SYSCALL(ppoll),
    PROCLAB_SYSCALL(pselect6),
    PROCLAB_SYSCALL(epoll_pwait),
    PROCLAB_SYSCALL(accept),
    PROCLAB_SYSCALL(accept4),
    PROCLAB_SYSCALL(connect),
    PROCLAB_SYSCALL(recvfrom),
    PROCLAB_SYSCALL(recvmsg),
    PROCLAB_SYSCALL(sendto),
    PROCLAB_SYSCALL(sendmsg),
    PROCLAB_SYSCALL(msgrcv),
    PROCLAB_SYSCALL(msgsnd),
    PROCLAB_SYSCALL(semop),
    PROCLAB_SYSCALL(semtimedop),
    PROCLAB_SYSCALL(mq_timedreceive),
    PROCLAB_SYSCALL(mq_timedsend),
    PROCLAB_SYSCALL(splice),
    PROCLAB_SYSCALL(sendfile),
    PROCLAB_SYSCALL(ioctl),
    PROCLAB_SYSCALL(close),
    // Others a process may be seen in, briefly or when the lab holds it.
    PROCLAB_SYSCALL(execve),
    PROCLAB_SYSCALL(clone),
    PROCLAB_SYSCALL(exit),
    PROCLAB_SYSCALL(exit_group),
    PROCLAB_SYSCALL(kill),
    PROCLAB_SYSCALL(sched_yield),
    PROCLAB_SYSCALL(prctl),
    PROCLAB_SYSCALL(mmap),
#if defined(__x86_64__)
    // aarch64 has none of these: its libc uses ppoll, pselect6, openat, clone.
    PROCLAB_SYSCALL(pause),
    PROCLAB_SYSCALL(poll),
    PROCLAB_SYSCALL(select),
    PROCLAB_SYSCALL(epoll_wait),
    PROCLAB_SYSCALL(open),
    PROCLAB_SYSCALL(fork),
    PROCLAB_SYSCALL(vfork),
#endif
  };
  auto it = kNames.find(nr);
  return it == kNames.end() ? fmt::format("syscall {}", nr) : std::string(it->second);
}

#undef PROCLAB_SYSCALL

}  // namespace proclab::os
