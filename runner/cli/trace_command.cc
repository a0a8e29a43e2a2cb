#include "runner/cli/trace_command.h"

#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "reports/html/html_page.h"
#include "reports/html/run_page.h"
#include "reports/trace_events.h"
#include "reports/trace_text.h"
#include "runner/base/text.h"
#include "runner/base/units.h"
#include "runner/cli/app.h"
#include "runner/lab/lab_session.h"
#include "runner/os/signal_fd.h"
#include "runner/run/cgroup_slots.h"
#include "runner/run/scenario_steps.h"
#include "runner/scenario/key_schedule.h"
#include "runner/timeline/trace_json.h"

namespace proclab::cli {
namespace {

// With keys and no --timeout, the run ends this long after the last key: a
// program that ignores them must not hold the user's terminal for ever.
constexpr int64_t kAfterLastKeyUs = 5'000'000;

}  // namespace

TraceCommand::TraceCommand(CLI::App& app) {
  cmd_ =
      app.add_subcommand("trace", "run any program in a lab; print its process tree and timeline");
  cmd_->prefix_command();
  cmd_->add_option("--json", json_path_, "also write the trace JSON here ('-' for stdout)");
  cmd_->add_option("--perfetto", perfetto_path_,
                   "also write the timeline in the Trace Event Format here (for ui.perfetto.dev "
                   "or chrome://tracing)");
  cmd_->add_option("--html", html_path_,
                   "also draw the trace as a self-contained HTML page here (a timeline)");
  cmd_->add_option("--cwd", cwd_, "working directory of the program");
  cmd_->add_option("--stdin", stdin_path_, "file for the program's stdin (default /dev/null)");
  cmd_->add_option("-e,--env", env_,
                   "KEY=VALUE to set, KEY to remove, in the program's environment")
      ->allow_extra_args(false);
  cmd_->add_flag("-q,--quiet", quiet_, "print nothing but errors (with --json FILE)");
  cmd_->add_flag("--debug", debug_,
                 "log every trace stop and restart on stderr (also PROCLAB_DEBUG=1)");
  cmd_->add_flag("--tty", tty_,
                 "run the program on a pseudo-terminal: its stdin, stdout and stderr, as in a "
                 "shell");
  cmd_->add_option("--keys", keys_,
                   "keys to press on the terminal, at times from the program's start: "
                   "1s:ctrl-c,2s:ctrl-backslash (ctrl-c, ctrl-backslash, ctrl-z, ctrl-d; needs "
                   "--tty; the default timeout is then 5s after the last key)");
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
  config.tty = tty_;
  if (tty_ && !stdin_path_.empty()) {
    fmt::print(stderr,
               "proclab trace: --stdin and --tty exclude each other: on a terminal, "
               "stdin is the terminal\n");
    return kTraceFailed;
  }
  // The keys run as a scenario's steps would (sleep, key, …), inside the lab.
  Scenario keyed;
  std::optional<ScenarioSteps> steps;
  if (cmd_->count("--keys") > 0) {
    if (!tty_) {
      fmt::print(stderr,
                 "proclab trace: --keys needs --tty: keys reach a program through its "
                 "terminal\n");
      return kTraceFailed;
    }
    auto keys = ParseKeySchedule(keys_);
    if (!keys) {
      fmt::print(stderr, "proclab trace: --keys: {}\n", keys.error().message);
      return kTraceFailed;
    }
    const int64_t last = keys->back().at_us;
    if (config.timeout_us == 0) {
      config.timeout_us = last + kAfterLastKeyUs;
    } else if (config.timeout_us <= last) {
      fmt::print(stderr, "proclab trace: --timeout {} ends the run before the key at {}\n",
                 FormatDuration(config.timeout_us), FormatDuration(last));
      return kTraceFailed;
    }
    keyed.name = "trace --keys";
    keyed.steps = KeySteps(*keys);
    keyed.pace.on = false;  // the user gave each key its moment
    steps.emplace(keyed);
    config.driver = &*steps;
  }

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
  if (!perfetto_path_.empty()) {
    std::ofstream f(perfetto_path_);
    TraceEventWriter tef([&](std::string_view s) { f << s; });
    tef.Begin();
    std::string label;
    for (const auto& word : t.command) label += (label.empty() ? "" : " ") + word;
    tef.AddRun(t, 1, "proclab trace: " + label);
    tef.End();
    f.flush();
    if (!f) {
      fmt::print(stderr, "proclab: cannot write {}\n", perfetto_path_);
      return kTraceFailed;
    }
  }
  if (!html_path_.empty()) {
    std::ofstream f(html_path_, std::ios::trunc | std::ios::binary);
    f << html::RenderPage(html::TracePage(t));
    f.flush();
    if (!f) {
      fmt::print(stderr, "proclab: cannot write {}\n", html_path_);
      return kTraceFailed;
    }
  }
  if (!quiet_ && json_path_ != "-") {
    TraceTextOptions text;
    for (const Step& st : keyed.steps)
      text.steps.push_back(st.kind == Step::Kind::kKey ? StepText(st) : std::string());
    fmt::print("{}", RenderTraceText(t, text));
  }
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
