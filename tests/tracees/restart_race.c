/* restart_race [sa_restart|pause]: the parent ignores SIGQUIT, handles
   SIGUSR2 (with SA_RESTART only when asked) and waits for a child in
   waitpid() (or in pause(), which SIGUSR2 must end; an alarm after 1s ends
   one that missed it). Each child waits
   until its parent is blocked in waitpid(), then sends it SIGQUIT and,
   after 0..199 microseconds, SIGUSR2, and exits 5ms later. Untraced, the ignored SIGQUIT never
   reaches the parent, so the SIGUSR2 handler interrupts waitpid: EINTR
   without SA_RESTART, a transparent restart with it. Prints
   "eintr N restarted M" and exits 0 when every round behaved that way. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

static void on_usr2(int sig) {
  (void)sig;
  handled = 1;
}

static void on_alarm(int sig) { (void)sig; }

static char state_of(pid_t pid) {
  char path[64], buf[256];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  FILE* f = fopen(path, "r");
  if (!f) return '?';
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  char* close = strrchr(buf, ')');
  return close && close[1] == ' ' ? close[2] : '?';
}

static void spin_us(long us) {
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  do clock_gettime(CLOCK_MONOTONIC, &b);
  while ((b.tv_sec - a.tv_sec) * 1000000L + (b.tv_nsec - a.tv_nsec) / 1000 < us);
}

int main(int argc, char** argv) {
  const int sa_restart = argc > 1 && strcmp(argv[1], "sa_restart") == 0;
  const int in_pause = argc > 1 && strcmp(argv[1], "pause") == 0;
  signal(SIGALRM, on_alarm);
  signal(SIGQUIT, SIG_IGN);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr2;
  sa.sa_flags = sa_restart ? SA_RESTART : 0;
  sigaction(SIGUSR2, &sa, NULL);
  int eintr = 0, restarted = 0, wrong = 0;
  for (int round = 0; round < 200; ++round) {
    handled = 0;
    const pid_t parent = getpid();
    const pid_t child = fork();
    if (child == 0) {
      while (state_of(parent) != 'S') usleep(100);
      usleep(1000);  // well inside waitpid
      kill(parent, SIGQUIT);
      spin_us(round);
      kill(parent, SIGUSR2);
      usleep(5000);  // not a zombie yet when the parent wakes
      _exit(0);
    }
    if (in_pause) {
      struct timespec a, b;
      clock_gettime(CLOCK_MONOTONIC, &a);
      alarm(1);
      pause();
      alarm(0);
      clock_gettime(CLOCK_MONOTONIC, &b);
      waitpid(child, NULL, 0);
      if (!handled)
        ++wrong;
      else if ((b.tv_sec - a.tv_sec) * 1000L + (b.tv_nsec - a.tv_nsec) / 1000000L >= 900)
        ++restarted;  // the handler ran, yet pause() slept on until the alarm
      else
        ++eintr;
      continue;
    }
    const pid_t got = waitpid(child, NULL, 0);
    if (got < 0 && errno == EINTR && handled) {
      ++eintr;
      waitpid(child, NULL, 0);
    } else if (got == child && handled) {
      ++restarted;
      fprintf(stderr, "round %d restarted\n", round);
    } else {
      ++wrong;
    }
  }
  printf("eintr %d restarted %d other %d\n", eintr, restarted, wrong);
  if (wrong) return 1;
  return sa_restart ? (eintr != 0) : (restarted != 0);  // the alarm is a pause()'s only other end
}
