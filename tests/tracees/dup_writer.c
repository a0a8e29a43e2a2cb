// Writes through descriptors that alias stdout or stderr, as glibc's perror()
// does (it dups fd 2 and writes to the dup), so the lab must follow aliases:
//   dup_writer perror       perror() of an ENOENT: "dup_writer: No such file or directory"
//   dup_writer dup          int fd = dup(1); write(fd, "through dup\n")
//   dup_writer dup2         dup2(2, 7); write(7, "through dup2\n")
//   dup_writer fcntl        fcntl(1, F_DUPFD_CLOEXEC, 20); write(that, "through fcntl\n")
//   dup_writer fork         dup(1), fork: the child writes "child via alias\n" through it,
//                           the parent waits and writes "parent via alias\n"
//   dup_writer exec         dup2(1, 9) (not close-on-exec), then exec itself as `write9`,
//                           which writes "after exec\n" on the inherited fd 9
//   dup_writer file PATH    a dup of PATH's descriptor, written: not output
//   dup_writer reused PATH  dup(1), close it, open PATH (same number), write there: not output
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int Put(int fd, const char* text) {
  return write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : 1;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const char* mode = argv[1];
  if (strcmp(mode, "perror") == 0) {
    errno = ENOENT;
    perror("dup_writer");
    return 0;
  }
  if (strcmp(mode, "dup") == 0) {
    int fd = dup(1);
    return fd < 0 || Put(fd, "through dup\n");
  }
  if (strcmp(mode, "dup2") == 0) {
    if (dup2(2, 7) != 7) return 1;
    return Put(7, "through dup2\n");
  }
  if (strcmp(mode, "fcntl") == 0) {
    int fd = fcntl(1, F_DUPFD_CLOEXEC, 20);
    return fd < 20 || Put(fd, "through fcntl\n");
  }
  if (strcmp(mode, "fork") == 0) {
    int fd = dup(1);
    if (fd < 0) return 1;
    pid_t child = fork();
    if (child < 0) return 1;
    if (child == 0) _exit(Put(fd, "child via alias\n"));
    int status = 0;
    if (waitpid(child, &status, 0) != child) return 1;
    return Put(fd, "parent via alias\n") || status != 0;
  }
  if (strcmp(mode, "exec") == 0) {
    if (dup2(1, 9) != 9) return 1;
    execl("/proc/self/exe", argv[0], "write9", (char*)NULL);
    return 127;
  }
  if (strcmp(mode, "write9") == 0) return Put(9, "after exec\n");
  if (argc < 3) return 2;
  if (strcmp(mode, "file") == 0) {
    int file = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int fd = file < 0 ? -1 : dup(file);
    return fd < 0 || Put(fd, "into the file\n");
  }
  if (strcmp(mode, "reused") == 0) {
    int fd = dup(1);
    if (fd < 0 || close(fd) != 0) return 1;
    int file = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    return file != fd || Put(file, "into the file\n");
  }
  return 2;
}
