#include "runner/os/seccomp_filter.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <linux/sockios.h>
#include <sched.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runner/os/hypercall.h"

namespace proclab::os {
namespace {

constexpr unsigned kTrace = SECCOMP_RET_TRACE;
constexpr unsigned kAllow = SECCOMP_RET_ALLOW;
constexpr unsigned kNoSys = SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA);
constexpr unsigned kPerm = SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA);

constexpr long kAlwaysTraced[] = {
    SYS_kill,
    SYS_tkill,
    SYS_tgkill,
    SYS_rt_sigqueueinfo,
    SYS_rt_tgsigqueueinfo,
    SYS_pidfd_send_signal,
    SYS_wait4,
    SYS_waitid,
    SYS_fork,
    SYS_vfork,
    // Rare calls that may make another descriptor for fd 1 or 2 (perror()
    // writes through one): the lab follows such aliases (lab.md).
    SYS_dup,
    SYS_dup2,
    SYS_dup3,
};

sock_filter Stmt(unsigned short code, unsigned k) { return BPF_STMT(code, k); }
sock_filter Jump(unsigned short code, unsigned k, unsigned char jt, unsigned char jf) {
  return BPF_JUMP(code, k, jt, jf);
}

constexpr unsigned kArg0Low = offsetof(seccomp_data, args[0]);  // little-endian low word
constexpr unsigned kArg1Low = offsetof(seccomp_data, args[1]);

}  // namespace

SeccompFilter::SeccompFilter() {
  auto& c = code_;
  c.push_back(Stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)));
  c.push_back(Jump(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0));
  c.push_back(Stmt(BPF_RET | BPF_K, kNoSys));
  c.push_back(Stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)));
  c.push_back(Jump(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u /* x32 */, 0, 1));
  c.push_back(Stmt(BPF_RET | BPF_K, kNoSys));
  for (long nr : kAlwaysTraced) {
    c.push_back(Jump(BPF_JMP | BPF_JEQ | BPF_K, static_cast<unsigned>(nr), 0, 1));
    c.push_back(Stmt(BPF_RET | BPF_K, kTrace));
  }
  c.push_back(Jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1));
  c.push_back(Stmt(BPF_RET | BPF_K, kNoSys));
  c.push_back(Jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_ptrace, 0, 1));
  c.push_back(Stmt(BPF_RET | BPF_K, kPerm));
  // userfaultfd could stall the lab inside process_vm_readv of a write buffer.
  c.push_back(Jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_userfaultfd, 0, 1));
  c.push_back(Stmt(BPF_RET | BPF_K, kPerm));

  // fcntl F_SETOWN/F_SETOWN_EX and ioctl FIOSETOWN/SIOCSPGRP choose who gets
  // SIGIO: a signal the kernel sends later, which the lab must vet. fcntl
  // F_DUPFD(_CLOEXEC) is a dup (above).
  c.push_back(Jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_fcntl, 0, 6));
  c.push_back(Stmt(BPF_LD | BPF_W | BPF_ABS, kArg1Low));
  c.push_back(Jump(BPF_JMP | BPF_JEQ | BPF_K, F_SETOWN, 3, 0));
  c.push_back(Jump(BPF_JMP | BPF_JEQ | BPF_K, F_SETOWN_EX, 2, 0));
  c.push_back(Jump(BPF_JMP | BPF_JEQ | BPF_K, F_DUPFD, 1, 0));
  c.push_back(Jump(BPF_JMP | BPF_JEQ | BPF_K, F_DUPFD_CLOEXEC, 0, 6));
  c.push_back(Stmt(BPF_RET | BPF_K, kTrace));
  c.push_back(Jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, 4));
  c.push_back(Stmt(BPF_LD | BPF_W | BPF_ABS, kArg1Low));
  c.push_back(Jump(BPF_JMP | BPF_JEQ | BPF_K, FIOSETOWN, 1, 0));
  c.push_back(Jump(BPF_JMP | BPF_JEQ | BPF_K, SIOCSPGRP, 0, 1));
  c.push_back(Stmt(BPF_RET | BPF_K, kTrace));
  // (both fall through to here with the accumulator clobbered: reload nr)
  c.push_back(Stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)));

  // write/writev: trace only fds 1 and 2.
  c.push_back(Jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_write, 1, 0));
  c.push_back(Jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_writev, 0, 5));
  c.push_back(Stmt(BPF_LD | BPF_W | BPF_ABS, kArg0Low));
  c.push_back(Jump(BPF_JMP | BPF_JEQ | BPF_K, 1, 1, 0));
  c.push_back(Jump(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 1));
  c.push_back(Stmt(BPF_RET | BPF_K, kTrace));
  c.push_back(Stmt(BPF_RET | BPF_K, kAllow));

  // prctl: only the lab's hypercall option stops (see hypercall.h).
  c.push_back(Jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_prctl, 0, 4));
  c.push_back(Stmt(BPF_LD | BPF_W | BPF_ABS, kArg0Low));
  c.push_back(Jump(BPF_JMP | BPF_JEQ | BPF_K, static_cast<unsigned>(kHypercallOption), 0, 1));
  c.push_back(Stmt(BPF_RET | BPF_K, kTrace));
  c.push_back(Stmt(BPF_RET | BPF_K, kAllow));

  // clone: every one stops for the lab, threads too: each counts against the
  // task cap (a thread bomb is refused like a fork bomb), and CLONE_UNTRACED
  // is refused.
  c.push_back(Jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 1));
  c.push_back(Stmt(BPF_RET | BPF_K, kTrace));
  c.push_back(Stmt(BPF_RET | BPF_K, kAllow));
}

int SeccompFilter::InstallInChild(bool set_no_new_privs) const {
  if (set_no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
  sock_fprog prog{};
  prog.len = static_cast<unsigned short>(code_.size());
  prog.filter = const_cast<sock_filter*>(code_.data());
  return static_cast<int>(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog));
}

}  // namespace proclab::os
