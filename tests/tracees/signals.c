// The parent handles SIGUSR1 (unless argv[1] is "nohandler") and ignores
// SIGUSR2; its child sends it USR1, USR2, STOP, CONT and finally TERM, so the
// timeline shows each outcome with the child as sender.
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void on_usr1(int sig) { (void)sig; }

static void pause_ms(int ms) { usleep(ms * 1000); }

int main(int argc, char** argv) {
  if (!(argc > 1 && strcmp(argv[1], "nohandler") == 0)) signal(SIGUSR1, on_usr1);
  signal(SIGUSR2, SIG_IGN);
  pid_t parent = getpid();
  if (fork() == 0) {
    pause_ms(50);
    kill(parent, SIGUSR1);
    pause_ms(50);
    kill(parent, SIGUSR2);
    pause_ms(50);
    kill(parent, SIGSTOP);
    pause_ms(100);
    kill(parent, SIGCONT);
    pause_ms(50);
    kill(parent, SIGTERM);
    return 0;
  }
  for (;;) pause();
}
