// The lab streams its timeline to the runner as JSON lines on a pipe: a "lab"
// header, the events as they happen, and an "end" trailer. A stream without a
// trailer means the lab died: that is proclab's failure, never the program's.
#pragma once

#include <string>
#include <string_view>

#include "runner/timeline/timeline.h"

namespace proclab {

class EventStreamWriter {
 public:
  explicit EventStreamWriter(int fd) : fd_(fd) {}
  // `scratch`: the run's folder, for the runner to remove should the lab die.
  void Lab(const LabInfo& lab, const std::vector<std::string>& command,
           const std::string& scratch = {});
  void Main(pid_t pid);
  void LaunchError(const std::string& message, bool not_found);
  void Event(const proclab::Event& e);
  void Step(const StepResult& step);
  // What the lab saw of the run's files once every process was gone.
  void Files(const std::vector<FileFacts>& files, const std::optional<LeftOutside>& left_outside);
  void End(const RunSummary& summary);
  // Writes what is buffered. False once the runner has gone away.
  bool Flush();
  [[nodiscard]] bool broken() const { return broken_; }
  [[nodiscard]] size_t pending() const { return buf_.size(); }

 private:
  void Line(const std::string& json);
  int fd_;
  std::string buf_;
  bool broken_ = false;
};

class EventStreamReader {
 public:
  explicit EventStreamReader(Timeline* timeline) : timeline_(timeline) {}
  // Consumes bytes from the pipe; returns the events that became complete.
  std::vector<proclab::Event> Feed(std::string_view bytes);
  [[nodiscard]] bool ended() const { return ended_; }
  [[nodiscard]] const std::string& error() const { return error_; }  // a malformed line

 private:
  void Apply(const std::string& line, std::vector<proclab::Event>* out);
  void ApplyUnchecked(const std::string& line, std::vector<proclab::Event>* out);
  Timeline* timeline_;
  std::string partial_;
  bool ended_ = false;
  std::string error_;
};

}  // namespace proclab
