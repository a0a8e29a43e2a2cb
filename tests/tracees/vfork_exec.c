// vfork, then exec /bin/echo in the child; the parent waits for it.
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  pid_t child = vfork();
  if (child == 0) {
    execl("/bin/echo", "echo", "from the vfork child", (char*)NULL);
    _exit(127);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WEXITSTATUS(status);
}
