#include "runner/lab/actor_runtime.h"
#include "runner/lab/actor_calls.h"

#include <errno.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "runner/base/signal_names.h"

namespace proclab {
namespace {

volatile sig_atomic_t g_pending[NSIG];
volatile sig_atomic_t g_any_pending;

extern "C" void NoteSignal(int sig) {
  g_pending[sig] = 1;
  g_any_pending = 1;
}

// Thrown (inside the child only) to end the actor with a status.
struct ExitRequest {
  int code;
};

class Runtime {
 public:
  Runtime(const Scenario& s) : s_(s) {}

  void Run(const std::vector<Action>& actions) {
    for (const Action& a : actions) {
      RunHandlers();
      Do(a);
    }
    RunHandlers();
  }

 private:
  void RunHandlers() {
    while (g_any_pending) {
      g_any_pending = 0;
      for (int sig = 1; sig < NSIG; ++sig) {
        if (!g_pending[sig]) continue;
        g_pending[sig] = 0;
        auto it = handlers_.find(sig);
        if (it != handlers_.end()) Run(*it->second);
      }
    }
  }

  // Sleeps the whole duration, running handlers when a signal cuts it short.
  void SleepFor(int64_t us) {
    timespec left{static_cast<time_t>(us / 1000000), static_cast<long>((us % 1000000) * 1000)};
    while (nanosleep(&left, &left) != 0 && errno == EINTR) RunHandlers();
  }

  pid_t Target(const Action& a) {
    if (a.name == "self") return getpid();
    // "parent" is the parent process, unless an actor is called that.
    if (a.name == "parent" && !s_.FindActor("parent")) return getppid();
    auto it = children_.find(a.name);
    if (it != children_.end() && !it->second.empty()) return it->second.back();
    // Not one of ours: the lab knows every actor's pid.
    long pid = actor::Resolve(a.name);
    return pid > 0 ? static_cast<pid_t>(pid) : -1;
  }

  std::string Expand(const std::string& text) {
    std::string out = text;
    auto replace = [&](const std::string& key, const std::string& value) {
      size_t at;
      while ((at = out.find(key)) != std::string::npos) out.replace(at, key.size(), value);
    };
    replace("{pid}", std::to_string(getpid()));
    replace("{ppid}", std::to_string(getppid()));
    return out;
  }

  // wait: NAME on a name that resolves to nobody must not become
  // waitpid(-1): that would reap some other child in its place.
  void WaitFor(const Action& a, int options) {
    pid_t pid = a.name == "any" ? -1 : Target(a);
    if (pid == 0 || (pid < 0 && a.name != "any")) {
      actor::WriteAll(2, fmt::format("wait {}: no such process\n", a.name));
      return;
    }
    int status = 0;
    while (waitpid(pid, &status, options) < 0) {
      if (errno != EINTR) {
        if (a.name == "any") return;  // no children left: nothing to say
        actor::WriteAll(2, fmt::format("wait {}: {}\n", a.name, strerror(errno)));
        return;
      }
      RunHandlers();
    }
  }

  void Do(const Action& a) {
    switch (a.kind) {
      case Action::Kind::kFork: {
        const Actor* child = s_.FindActor(a.name);
        actor::NameNextChild(a.name);
        pid_t pid = fork();
        if (pid == 0) {
          prctl(PR_SET_NAME, a.name.c_str());
          // Like any forked child it keeps its parent's handlers; pending
          // signals, like its parent's children, are not inherited.
          for (int sig = 1; sig < NSIG; ++sig) g_pending[sig] = 0;
          g_any_pending = 0;
          Runtime runtime(s_);
          runtime.handlers_ = handlers_;
          int code = 0;
          try {
            runtime.Run(child->actions);
          } catch (const ExitRequest& e) {
            code = e.code;
          }
          _exit(code);
        }
        if (pid > 0)
          children_[a.name].push_back(pid);
        else
          actor::WriteAll(2, fmt::format("fork failed: {}\n", strerror(errno)));
        break;
      }
      case Action::Kind::kExec: {
        std::vector<char*> argv;
        for (const auto& arg : a.argv) argv.push_back(const_cast<char*>(arg.c_str()));
        argv.push_back(nullptr);
        execvp(argv[0], argv.data());
        actor::WriteAll(2, fmt::format("exec {}: {}\n", a.argv[0], strerror(errno)));
        throw ExitRequest{127};
      }
      case Action::Kind::kSleep: SleepFor(a.us); break;
      case Action::Kind::kExit: throw ExitRequest{a.number};
      case Action::Kind::kKill: {
        pid_t pid = Target(a);
        if (pid <= 0 || kill(pid, a.sig) != 0)
          actor::WriteAll(2, fmt::format("kill {} {}: {}\n", a.name, SignalName(a.sig),
                                         pid <= 0 ? "no such process" : strerror(errno)));
        break;
      }
      case Action::Kind::kSignal: {
        struct sigaction sa {};
        sigemptyset(&sa.sa_mask);
        if (a.disposition == Action::Disposition::kHandle) {
          sa.sa_handler = NoteSignal;
          handlers_[a.sig] = &a.body;
        } else {
          sa.sa_handler = a.disposition == Action::Disposition::kIgnore ? SIG_IGN : SIG_DFL;
          handlers_.erase(a.sig);
        }
        sigaction(a.sig, &sa, nullptr);  // no SA_RESTART: sleeps and waits return to run it
        break;
      }
      case Action::Kind::kWait: WaitFor(a, 0); break;
      case Action::Kind::kWaitpid: WaitFor(a, a.nohang ? WNOHANG : 0); break;
      case Action::Kind::kPrint: actor::WriteAll(1, Expand(a.text) + "\n"); break;
      case Action::Kind::kCheckpoint: actor::Checkpoint(a.name); break;
      case Action::Kind::kPause: pause(); break;
      case Action::Kind::kAlarm: {
        itimerval t{};
        t.it_value.tv_sec = a.us / 1000000;
        t.it_value.tv_usec = a.us % 1000000;
        setitimer(ITIMER_REAL, &t, nullptr);
        break;
      }
      case Action::Kind::kNice:
        errno = 0;
        if (nice(a.number) == -1 && errno)
          actor::WriteAll(2, fmt::format("nice: {}\n", strerror(errno)));
        break;
      case Action::Kind::kSetsid: setsid(); break;
      case Action::Kind::kLoop:
        for (int i = 0; i < a.number; ++i) {
          RunHandlers();
          Run(a.body);
        }
        break;
    }
  }

  const Scenario& s_;
  std::map<std::string, std::vector<pid_t>> children_;
  std::map<int, const std::vector<Action>*> handlers_;
};

}  // namespace

int RunBuiltinActor(const Scenario& s, const Actor& actor) {
  try {
    Runtime(s).Run(actor.actions);
  } catch (const ExitRequest& e) {
    return e.code;
  }
  return 0;
}

}  // namespace proclab
