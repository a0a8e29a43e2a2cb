// The least any ptrace tracer can cost a program: it restarts every stop at
// once and records nothing. `ptrace_floor MODE PROGRAM ARGS...`:
//   events   fork, vfork and clone events only: for a fork storm, the fork
//            event, the child's first stop, its exit and SIGCHLD's delivery
//            (4 notifications a cycle, the fewest that see every process);
//   proclab  proclab's stops too: a seccomp stop at clone and wait4, and
//            wait4's syscall exit (7 a cycle, bench/README.md).
// bench/run forkstorm runs it beside proclab, so the figures say how much of
// proclab's cost is the stops themselves and how much its work at each.
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static int InstallFilter(void) {
  struct sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 2, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_wait4, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
  };
  struct sock_fprog prog = {sizeof code / sizeof code[0], code};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
  return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

int main(int argc, char** argv) {
  if (argc < 3 || (strcmp(argv[1], "events") != 0 && strcmp(argv[1], "proclab") != 0)) {
    fprintf(stderr, "usage: ptrace_floor events|proclab PROGRAM [ARGS...]\n");
    return 2;
  }
  const int seccomp = strcmp(argv[1], "proclab") == 0;
  pid_t main_pid = fork();
  if (main_pid < 0) return 1;
  if (main_pid == 0) {
    raise(SIGSTOP);  // until seized
    if (seccomp && InstallFilter() != 0) _exit(126);
    execv(argv[2], argv + 2);
    _exit(127);
  }
  if (waitpid(main_pid, NULL, WSTOPPED) != main_pid) return 1;
  long options = PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
                 PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL;
  if (seccomp) options |= PTRACE_O_TRACESECCOMP;
  if (ptrace(PTRACE_SEIZE, main_pid, 0, options) != 0) return 1;
  kill(main_pid, SIGCONT);
  int result = 1;
  for (;;) {
    int status;
    pid_t tid = waitpid(-1, &status, __WALL);
    if (tid < 0) break;
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
      if (tid == main_pid)
        result = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      continue;
    }
    const int event = status >> 16;
    int sig = WSTOPSIG(status);
    enum __ptrace_request restart = PTRACE_CONT;
    if (event == PTRACE_EVENT_SECCOMP) {
      // wait4 goes on to its syscall exit, as proclab's does.
      long nr = ptrace(PTRACE_PEEKUSER, tid, offsetof(struct user_regs_struct, orig_rax), 0);
      if (nr == SYS_wait4) restart = PTRACE_SYSCALL;
      sig = 0;
    } else if (event != 0 || sig == (SIGTRAP | 0x80)) {
      sig = 0;  // an event (a new child's first stop too) or a syscall stop
    }
    ptrace(restart, tid, 0, sig);
  }
  return result;
}
