#include "runner/os/contained_call.h"

#include <errno.h>
#include <fmt/format.h>
#include <poll.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <string_view>

#include "runner/base/clock.h"
#include "runner/base/units.h"
#include "runner/os/child.h"
#include "runner/os/sys_error.h"
#include "runner/os/unique_fd.h"
#include "runner/os/write_all.h"

namespace proclab::os {
namespace {

// Ends whatever the body wrote to stderr; the answer follows it.
constexpr std::string_view kAnswer = "\x01answer\x01";

// "SIGSEGV" for 11.
std::string SignalName(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? fmt::format("SIG{}", abbrev) : fmt::format("signal {}", sig);
}

// The copy's last words, for the error: "" or ": what it said".
std::string Said(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  if (text.starts_with("proclab: ")) text.remove_prefix(9);
  if (text.size() > 500) text = text.substr(text.size() - 500);
  return text.empty() ? "" : fmt::format(": {}", text);
}

}  // namespace

Result<std::string> ContainedCall(const std::function<std::string()>& body, int64_t limit_us) {
  auto pipe = MakePipe();
  if (!pipe) return pipe.error();
  const pid_t pid = fork();
  if (pid < 0) return SysError("fork (contained call)");
  if (pid == 0) {
    // Its stderr (a watchdog's last words) goes to the runner, who quotes it.
    if (dup2(pipe->write.get(), 2) < 0) _exit(3);
    pipe->read.Reset();
    std::string answer;
    try {
      answer = body();
    } catch (const std::exception& e) {
      WriteAll(2, fmt::format("it threw: {}", e.what()));
      _exit(3);
    }
    _exit(WriteAll(2, kAnswer) && WriteAll(2, answer) ? 0 : 3);
  }
  Child child(pid, StopPolicy{SIGKILL, 0});
  pipe->write.Reset();
  std::string answer;
  const int64_t deadline = MonotonicUs() + limit_us;
  char buf[65536];
  for (;;) {
    const int64_t left_ms = (deadline - MonotonicUs()) / 1000;
    if (left_ms <= 0) {
      child.Stop();
      return Error{
          fmt::format("it ran past its {} limit and was killed", FormatDuration(limit_us))};
    }
    pollfd p{pipe->read.get(), POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(std::min<int64_t>(left_ms, 1000))) <= 0) continue;
    const ssize_t n = read(pipe->read.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    answer.append(buf, static_cast<size_t>(n));
  }
  auto status = child.Wait();
  if (!status) return status.error();
  const size_t mark = answer.rfind(kAnswer);
  if (WIFSIGNALED(*status))
    return Error{fmt::format("it died of {}{}", SignalName(WTERMSIG(*status)), Said(answer))};
  if (WEXITSTATUS(*status) != 0 || mark == std::string::npos)
    return Error{
        fmt::format("it exited ({}) without an answer{}", WEXITSTATUS(*status), Said(answer))};
  return answer.substr(mark + kAnswer.size());
}

}  // namespace proclab::os
