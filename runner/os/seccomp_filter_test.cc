// The filter's verdicts, checked by running its BPF program through a small
// interpreter of the instructions it uses: every hand-written jump offset
// gets exercised without installing anything.
#include "runner/os/seccomp_filter.h"

#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <linux/sockios.h>
#include <sched.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <cstring>
#include <optional>

#include "runner/os/hypercall.h"

namespace proclab::os {
namespace {

constexpr unsigned kTrace = SECCOMP_RET_TRACE;
constexpr unsigned kAllow = SECCOMP_RET_ALLOW;
constexpr unsigned kNoSys = SECCOMP_RET_ERRNO | ENOSYS;
constexpr unsigned kPerm = SECCOMP_RET_ERRNO | EPERM;

// Runs `prog` on `data`; nullopt when the program does something this
// interpreter (and so the filter's author) did not mean it to.
std::optional<unsigned> Interpret(const std::vector<sock_filter>& prog, const seccomp_data& data) {
  unsigned acc = 0;
  for (size_t pc = 0; pc < prog.size(); ++pc) {
    const sock_filter& in = prog[pc];
    switch (in.code) {
      case BPF_LD | BPF_W | BPF_ABS:
        if (in.k % 4 != 0 || in.k + 4 > sizeof data) return std::nullopt;
        std::memcpy(&acc, reinterpret_cast<const char*>(&data) + in.k, 4);
        break;
      case BPF_JMP | BPF_JEQ | BPF_K: pc += acc == in.k ? in.jt : in.jf; break;
      case BPF_JMP | BPF_JGE | BPF_K: pc += acc >= in.k ? in.jt : in.jf; break;
      case BPF_JMP | BPF_JSET | BPF_K: pc += (acc & in.k) != 0 ? in.jt : in.jf; break;
      case BPF_RET | BPF_K: return in.k;
      default: return std::nullopt;
    }
  }
  return std::nullopt;  // fell off the end: the kernel would refuse the filter
}

seccomp_data Call(long nr, uint64_t a0 = 0, uint64_t a1 = 0, unsigned arch = AUDIT_ARCH_X86_64) {
  seccomp_data d{};
  d.nr = static_cast<int>(nr);
  d.arch = arch;
  d.args[0] = a0;
  d.args[1] = a1;
  return d;
}

struct Case {
  const char* what;
  seccomp_data call;
  unsigned verdict;
};

std::vector<Case> Cases() {
  return {
      {"kill", Call(SYS_kill, 1, SIGTERM), kTrace},
      {"tkill", Call(SYS_tkill, 1, SIGTERM), kTrace},
      {"tgkill", Call(SYS_tgkill, 1, 1), kTrace},
      {"rt_sigqueueinfo", Call(SYS_rt_sigqueueinfo, 1, SIGUSR1), kTrace},
      {"rt_tgsigqueueinfo", Call(SYS_rt_tgsigqueueinfo, 1, 1), kTrace},
      {"pidfd_send_signal", Call(SYS_pidfd_send_signal, 3, SIGTERM), kTrace},
      {"wait4", Call(SYS_wait4, static_cast<uint64_t>(-1)), kTrace},
      {"waitid", Call(SYS_waitid, P_ALL), kTrace},
      {"fork", Call(SYS_fork), kTrace},
      {"vfork", Call(SYS_vfork), kTrace},
      {"write to stdout", Call(SYS_write, 1), kTrace},
      {"write to stderr", Call(SYS_write, 2), kTrace},
      {"writev to stdout", Call(SYS_writev, 1), kTrace},
      {"write to a file", Call(SYS_write, 3), kAllow},
      {"write to stdin", Call(SYS_write, 0), kAllow},
      {"clone of a process", Call(SYS_clone, SIGCHLD), kTrace},
      {"clone of a thread", Call(SYS_clone, CLONE_THREAD | CLONE_VM | CLONE_SIGHAND), kTrace},
      {"untraced thread", Call(SYS_clone, CLONE_THREAD | CLONE_VM | CLONE_SIGHAND | CLONE_UNTRACED),
       kTrace},
      {"untraced process", Call(SYS_clone, CLONE_UNTRACED | SIGCHLD), kTrace},
      {"clone3", Call(SYS_clone3), kNoSys},
      {"ptrace", Call(SYS_ptrace), kPerm},
      {"userfaultfd", Call(SYS_userfaultfd), kPerm},
      {"fcntl F_SETOWN", Call(SYS_fcntl, 3, F_SETOWN), kTrace},
      {"fcntl F_SETOWN_EX", Call(SYS_fcntl, 3, F_SETOWN_EX), kTrace},
      {"fcntl F_DUPFD", Call(SYS_fcntl, 2, F_DUPFD), kTrace},
      {"fcntl F_DUPFD_CLOEXEC", Call(SYS_fcntl, 1, F_DUPFD_CLOEXEC), kTrace},
      {"dup", Call(SYS_dup, 2), kTrace},
      {"dup2", Call(SYS_dup2, 1, 7), kTrace},
      {"dup3", Call(SYS_dup3, 2, 7), kTrace},
      {"close", Call(SYS_close, 3), kAllow},
      {"fcntl F_GETFL", Call(SYS_fcntl, 3, F_GETFL), kAllow},
      {"fcntl F_SETFL", Call(SYS_fcntl, 3, F_SETFL), kAllow},
      {"ioctl FIOSETOWN", Call(SYS_ioctl, 3, FIOSETOWN), kTrace},
      {"ioctl SIOCSPGRP", Call(SYS_ioctl, 3, SIOCSPGRP), kTrace},
      {"ioctl TCGETS", Call(SYS_ioctl, 0, TCGETS), kAllow},
      {"prctl hypercall", Call(SYS_prctl, static_cast<uint64_t>(kHypercallOption)), kTrace},
      {"prctl PR_SET_NAME", Call(SYS_prctl, PR_SET_NAME), kAllow},
      {"openat", Call(SYS_openat), kAllow},
      {"getpid", Call(SYS_getpid), kAllow},
      // Arguments that happen to equal a syscall number or a tested constant
      // must not steer the program into another syscall's branch.
      {"read with FIOSETOWN as 2nd argument", Call(SYS_read, 3, FIOSETOWN), kAllow},
      {"fcntl(1, F_GETFD)", Call(SYS_fcntl, 1, F_GETFD), kAllow},
      {"ioctl(1, 1)", Call(SYS_ioctl, 1, 1), kAllow},
      {"write to fd 56 (SYS_clone)", Call(SYS_write, SYS_clone), kAllow},
      {"prctl option 56 (SYS_clone)", Call(SYS_prctl, SYS_clone), kAllow},
      {"i386 syscall", Call(37 /* i386 kill */, 1, 9, AUDIT_ARCH_I386), kNoSys},
      {"x32 syscall", Call(0x40000000 | SYS_kill), kNoSys},
  };
}

TEST(SeccompFilter, EachSyscallGetsItsVerdict) {
  SeccompFilter filter;
  for (const Case& c : Cases()) {
    auto verdict = Interpret(filter.Program(), c.call);
    ASSERT_TRUE(verdict) << c.what << ": the program misbehaved";
    EXPECT_EQ(*verdict, c.verdict) << c.what;
  }
}

TEST(SeccompFilter, EveryJumpLandsInsideTheProgram) {
  SeccompFilter filter;
  const auto& prog = filter.Program();
  ASSERT_LE(prog.size(), static_cast<size_t>(BPF_MAXINSNS));
  for (size_t pc = 0; pc < prog.size(); ++pc) {
    if (BPF_CLASS(prog[pc].code) != BPF_JMP) continue;
    EXPECT_LT(pc + 1 + prog[pc].jt, prog.size()) << "jt at " << pc;
    EXPECT_LT(pc + 1 + prog[pc].jf, prog.size()) << "jf at " << pc;
  }
  EXPECT_EQ(BPF_CLASS(prog.back().code), BPF_RET);
}

// Negative control: the cases notice a single jump off by one anywhere, but
// for one equivalent mutant: after a failed `nr == ioctl` test the
// accumulator still holds nr, so skipping its reload changes nothing.
TEST(SeccompFilter, TheCasesCatchAnyJumpOffByOne) {
  const auto original = SeccompFilter().Program();
  int jumps = 0, caught = 0;
  for (size_t pc = 0; pc < original.size(); ++pc) {
    if (BPF_CLASS(original[pc].code) != BPF_JMP) continue;
    for (bool taken : {true, false}) {
      auto broken = original;
      auto& off = taken ? broken[pc].jt : broken[pc].jf;
      off = static_cast<unsigned char>(off + 1);
      ++jumps;
      bool noticed = false;
      for (const Case& c : Cases()) {
        auto verdict = Interpret(broken, c.call);
        if (!verdict || *verdict != c.verdict) noticed = true;
      }
      caught += noticed;
    }
  }
  EXPECT_GT(jumps, 40);
  EXPECT_EQ(caught, jumps - 1);
}

}  // namespace
}  // namespace proclab::os
