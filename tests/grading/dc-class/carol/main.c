/* The driver and the conductor in C: the driver forks the conductor, both
 * ignore the terminal's SIGINT/SIGQUIT except the conductor, which relays
 * them to the driver as SIGUSR1 (depart) and SIGUSR2 (arrive, then go home). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t arrived = 0;
static pid_t driver;

static void depart(int sig) {
  (void)sig;
  write(1, "发车了\n", sizeof "发车了\n" - 1);
}
static void arrive(int sig) {
  (void)sig;
  write(1, "到站了\n", sizeof "到站了\n" - 1);
  arrived = 1;
}
static void relay_int(int sig) {
  (void)sig;
  kill(driver, SIGUSR1);
}
static void relay_quit(int sig) {
  (void)sig;
  kill(driver, SIGUSR2);
  _exit(0);
}

int main(void) {
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  signal(SIGUSR1, depart);
  signal(SIGUSR2, arrive);
  driver = getpid();
  pid_t conductor = fork();
  if (conductor == 0) {
    signal(SIGINT, relay_int);
    signal(SIGQUIT, relay_quit);
    for (;;) pause();
  }
  while (!arrived) pause();
  waitpid(conductor, NULL, 0);
  return 0;
}
