#include "runner/cli/trace_command.h"

#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "reports/trace_text.h"
#include "runner/base/text.h"
#include "runner/cli/app.h"
#include "runner/lab/lab_session.h"
#include "runner/os/signal_fd.h"
#include "runner/run/cgroup_slots.h"
#include "runner/timeline/trace_json.h"

namespace proclab::cli {

TraceCommand::TraceCommand(CLI::App& app) {
  cmd_ =
      app.add_subcommand("trace", "run any program in a lab; print its process tree and timeline");
  cmd_->prefix_command();
  cmd_->add_option("--json", json_path_, "also write the trace JSON here ('-' for stdout)");
  cmd_->add_option("--cwd", cwd_, "working directory of the program");
  cmd_->add_option("--stdin", stdin_path_, "file for the program's stdin (default /dev/null)");
  cmd_->add_option("-e,--env", env_,
                   "KEY=VALUE to set, KEY to remove, in the program's environment")
      ->allow_extra_args(false);
  cmd_->add_flag("-q,--quiet", quiet_, "print nothing but errors (with --json FILE)");
  cmd_->add_flag("--debug", debug_,
                 "log every trace stop and restart on stderr (also PROCLAB_DEBUG=1)");
  lab_.Add(cmd_);
  cmd_->footer(
      "Exit status, as env, timeout and nice have it: the program's own (128+N when signal N "
      "killed it); 125 when proclab failed or was used wrongly; 126 when the program was found "
      "but could not be run; 127 when it was not found; 130 after Ctrl-C.");
}

int TraceCommand::Run() {
  LabConfig config;
  config.argv = cmd_->remaining();
  if (!config.argv.empty() && !tail_.empty()) {
    // With "--", every word before it is proclab's: one it does not know is
    // a mistake, not the start of the command.
    fmt::print(stderr, "proclab trace: unknown option '{}' (the command goes after --)\n",
               config.argv.front());
    return kTraceFailed;
  }
  config.argv.insert(config.argv.end(), tail_.begin(), tail_.end());
  if (config.argv.empty()) {
    fmt::print(
        stderr,
        "proclab trace: no command given (usage: proclab trace [OPTIONS] -- CMD [ARG...])\n");
    return kTraceFailed;
  }
  if (!lab_.Apply(&config)) return kTraceFailed;
  config.env = env_;
  config.cwd = cwd_.empty() ? std::filesystem::current_path().string() : cwd_;
  config.stdin_path = stdin_path_;
  config.debug = debug_;

  CgroupSlots cgroups(1);
  config.cgroup = cgroups.slot(0);
  config.no_cgroup_because = cgroups.none_because();
  // Ctrl-C stops the run, not proclab: the lab tears down and we still report.
  auto stop_fd = os::BlockIntoSignalFd({SIGINT, SIGTERM, SIGHUP});
  auto session = LabSession::Start(config);
  if (!session) {
    fmt::print(stderr, "proclab: {}\n", session.error().Describe());
    return kTraceFailed;
  }
  bool interrupted = false;
  for (;;) {
    pollfd fds[2] = {{(*session)->fd(), POLLIN, 0}, {stop_fd ? stop_fd->get() : -1, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents) {
      os::DrainSignalFd(fds[1].fd);
      interrupted = true;
      (*session)->Cancel();
    }
    if (fds[0].revents && !(*session)->Pump()) break;
  }
  Timeline t = (*session)->Finish();

  if (!json_path_.empty()) {
    // Written as it is made: a run at its event cap is too big for one document.
    auto write_to = [&](std::ostream& out) {
      WriteTimelineJson(t, 0, [&](std::string_view s) { out << s; });
      out << "\n";
    };
    if (json_path_ == "-") {
      write_to(std::cout);
    } else {
      std::ofstream f(json_path_);
      write_to(f);
      f.flush();
      if (!f) {
        fmt::print(stderr, "proclab: cannot write {}\n", json_path_);
        return kTraceFailed;
      }
    }
  }
  if (!quiet_ && json_path_ != "-") fmt::print("{}", RenderTraceText(t));
  std::fflush(stdout);

  if (!t.summary.lab_error.empty()) {
    fmt::print(stderr, "proclab: the lab failed: {}\n", t.summary.lab_error);
    return kTraceFailed;
  }
  if (!t.launch_error.empty()) {
    fmt::print(stderr, "proclab: {}\n", EscapeControls(t.launch_error));
    return t.launch_not_found ? kTraceNotFound : kTraceCannotRun;
  }
  if (interrupted) return 130;
  auto main = t.Process(t.main_pid);
  if (!main || !main->exit) return kTraceFailed;
  return main->exit->ShellStatus();
}

}  // namespace proclab::cli
