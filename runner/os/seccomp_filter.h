// The seccomp-bpf filter every traced program runs under. It makes a tracee
// stop (SECCOMP_RET_TRACE) only on the syscalls the timeline needs:
//   kill family        -> signal_sent with sender and target
//   wait4, waitid      -> reap attribution (the lab then asks for the syscall exit)
//   write/writev 1, 2  -> output attributed to the writer
//   dup, dup2, dup3, fcntl F_DUPFD(_CLOEXEC)
//                      -> descriptors that alias fds 1 and 2, whose writes the
//                         lab then follows without the filter (lab.md)
//   fork, vfork, clone (threads too)
//                      -> the process and task caps, and no untraced children
//   prctl(kHypercallOption, …) -> actors' requests to the lab (hypercall.h)
//   fcntl F_SETOWN(_EX), ioctl FIOSETOWN/SIOCSPGRP -> who may receive SIGIO
// and refuses three outright: clone3 (ENOSYS, so libc falls back to clone,
// whose flags the filter can read), ptrace (EPERM: tracees are already
// traced) and userfaultfd (EPERM: it could stall the lab reading memory).
// Syscalls of any ABI other than x86_64 fail with ENOSYS: they would bypass it.
#pragma once

#include <linux/filter.h>

#include <vector>

#include "runner/base/error.h"

namespace proclab::os {

class SeccompFilter {
 public:
  SeccompFilter();
  // Installs the filter on the calling thread (inherited by every child and
  // kept across exec). Needs CAP_SYS_ADMIN or no_new_privs; set no_new_privs
  // first when not privileged. Async-signal-safe: meant for a forked child.
  [[nodiscard]] int InstallInChild(bool set_no_new_privs) const;
  // The classic-BPF program itself (tests run it through an interpreter).
  [[nodiscard]] const std::vector<sock_filter>& Program() const { return code_; }

 private:
  std::vector<sock_filter> code_;
};

}  // namespace proclab::os
