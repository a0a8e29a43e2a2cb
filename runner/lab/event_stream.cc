#include "runner/lab/event_stream.h"

#include <errno.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "runner/timeline/trace_json.h"

namespace proclab {

using nlohmann::json;

void EventStreamWriter::Line(const std::string& text) {
  buf_ += text;
  buf_ += '\n';
  if (buf_.size() > (256 << 10)) Flush();
}

void EventStreamWriter::Lab(const LabInfo& lab, const std::vector<std::string>& command,
                            const std::string& scratch) {
  json j = LabInfoToJson(lab);
  j["type"] = "lab";
  j["command"] = command;
  if (!scratch.empty()) j["scratch"] = scratch;
  Line(j.dump(-1, ' ', false, json::error_handler_t::replace));
}

void EventStreamWriter::Main(pid_t pid) { Line(json{{"type", "main"}, {"pid", pid}}.dump()); }

void EventStreamWriter::LaunchError(const std::string& message, bool not_found) {
  Line(json{{"type", "launch_error"}, {"message", message}, {"not_found", not_found}}.dump(
      -1, ' ', false, json::error_handler_t::replace));
}

void EventStreamWriter::Event(const proclab::Event& e) {
  Line(EventToJson(e).dump(-1, ' ', false, json::error_handler_t::replace));
}

void EventStreamWriter::Step(const StepResult& step) {
  json j = StepResultToJson(step);
  j["type"] = "step";
  Line(j.dump(-1, ' ', false, json::error_handler_t::replace));
}

void EventStreamWriter::Files(const std::vector<FileFacts>& files,
                              const std::optional<LeftOutside>& left_outside) {
  json j = {{"type", "files"}, {"files", json::array()}};
  for (const auto& f : files) j["files"].push_back(FileFactsToJson(f));
  if (left_outside) j["left_outside"] = LeftOutsideToJson(*left_outside);
  Line(j.dump(-1, ' ', false, json::error_handler_t::replace));
}

void EventStreamWriter::End(const RunSummary& summary) {
  json j = SummaryToJson(summary);
  j["type"] = "end";
  Line(j.dump(-1, ' ', false, json::error_handler_t::replace));
}

bool EventStreamWriter::Flush() {
  size_t done = 0;
  while (!broken_ && done < buf_.size()) {
    ssize_t n = write(fd_, buf_.data() + done, buf_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      broken_ = true;  // EPIPE: the runner is gone
      break;
    }
    done += static_cast<size_t>(n);
  }
  buf_.clear();
  return !broken_;
}

std::vector<proclab::Event> EventStreamReader::Feed(std::string_view bytes) {
  std::vector<proclab::Event> out;
  partial_.append(bytes);
  size_t start = 0;
  for (;;) {
    size_t nl = partial_.find('\n', start);
    if (nl == std::string::npos) break;
    Apply(partial_.substr(start, nl - start), &out);
    start = nl + 1;
  }
  partial_.erase(0, start);
  return out;
}

void EventStreamReader::Apply(const std::string& line, std::vector<proclab::Event>* out) {
  try {
    ApplyUnchecked(line, out);
  } catch (const json::exception& ex) {
    error_ = "malformed line from the lab (" + std::string(ex.what()) + "): " + line.substr(0, 200);
  }
}

void EventStreamReader::ApplyUnchecked(const std::string& line, std::vector<proclab::Event>* out) {
  json j = json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    error_ = "malformed line from the lab: " + line.substr(0, 200);
    return;
  }
  const std::string type = j.value("type", "");
  if (type == "lab") {
    timeline_->lab = LabInfoFromJson(j);
    timeline_->command = j.value("command", std::vector<std::string>{});
    timeline_->scratch = j.value("scratch", "");
  } else if (type == "main") {
    timeline_->main_pid = j.value("pid", 0);
  } else if (type == "launch_error") {
    timeline_->launch_error = j.value("message", "");
    timeline_->launch_not_found = j.value("not_found", false);
  } else if (type == "step") {
    timeline_->steps.push_back(StepResultFromJson(j));
  } else if (type == "files") {
    for (const auto& f : j.value("files", json::array()))
      timeline_->files.push_back(FileFactsFromJson(f));
    if (j.contains("left_outside"))
      timeline_->left_outside = LeftOutsideFromJson(j["left_outside"]);
  } else if (type == "end") {
    timeline_->summary = SummaryFromJson(j);
    timeline_->complete = true;
    ended_ = true;
  } else {
    auto e = EventFromJson(j);
    if (!e) {
      error_ = e.error().message;
      return;
    }
    out->push_back(*e);
    timeline_->Add(std::move(*e));
  }
}

}  // namespace proclab
