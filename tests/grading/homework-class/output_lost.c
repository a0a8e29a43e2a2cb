/* BUG: output lost without a flush, on a terminal too. The driver prints
 * 发车了 and 到站了 with printf but without "\n", so even a line-buffered
 * terminal keeps them in stdio's buffer, and it ends with _exit(0), which
 * throws that buffer away: nothing is ever written. fflush(stdout) after each
 * printf (or a "\n", or exit() instead of _exit()) would have shown them. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t driver;

static void depart(int sig) {
  (void)sig;
  printf("发车了");
}

static void arrive(int sig) {
  (void)sig;
  printf("到站了");
}

static void tell_depart(int sig) {
  (void)sig;
  kill(driver, SIGUSR1);
}

static void tell_arrive(int sig) {
  (void)sig;
  kill(driver, SIGUSR2);
  _exit(0);
}

static void on(int sig, void (*handler)(int)) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, NULL);
}

int main(void) {
  on(SIGINT, SIG_IGN);
  on(SIGQUIT, SIG_IGN);
  on(SIGUSR1, depart);
  on(SIGUSR2, arrive);
  driver = getpid();
  pid_t conductor = fork();
  if (conductor == 0) {
    on(SIGINT, tell_depart);
    on(SIGQUIT, tell_arrive);
    for (;;) pause();
  }
  while (waitpid(conductor, NULL, 0) < 0 && errno == EINTR) {
  }
  _exit(0);
}
