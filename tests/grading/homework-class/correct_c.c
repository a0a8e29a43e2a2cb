/* CORRECT, in C: the driver is the parent, the conductor its child.
 *
 * Ctrl-C: the conductor tells the driver to depart (SIGUSR1), the driver
 * prints 发车了. Ctrl-\: the conductor tells the driver to stop (SIGUSR2) and
 * exits; the driver prints 到站了, reaps the conductor and exits 0. The
 * handlers write with write(2), which is safe in a signal handler; printf is
 * not. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t driver;

static void say(const char* text) {
  ssize_t n = write(STDOUT_FILENO, text, strlen(text));
  (void)n;
}

static void depart(int sig) {
  (void)sig;
  say("发车了\n");
}

static void arrive(int sig) {
  (void)sig;
  say("到站了\n");
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
  return 0;
}
