#include "runner/lab/output_capture.h"

#include <fmt/format.h>

#include <algorithm>

#include "runner/base/units.h"

namespace proclab {

size_t OutputCapture::Budget(Stream stream) const {
  return static_cast<size_t>(std::max<int64_t>(0, cap_ - kept_[Index(stream)]));
}

void OutputCapture::Write(pid_t pid, Stream stream, std::string_view data, uint64_t total,
                          int64_t t_us) {
  const size_t s = Index(stream);
  ++writes_;
  last_write_us_ = std::max(last_write_us_, t_us);
  attributed_[s] += static_cast<int64_t>(total);
  const size_t budget = Budget(stream);
  const size_t keep = std::min(data.size(), budget);
  // Only what lies past the cap is dropped; bytes that could not be read
  // (a bad buffer: the write fails with EFAULT) were never output at all.
  const uint64_t over = total > budget ? total - budget : 0;
  kept_[s] += static_cast<int64_t>(keep);
  dropped_[s] += static_cast<int64_t>(over);
  std::string& buf = partial_[pid][s];
  buf.append(data.substr(0, keep));
  size_t start = 0;
  for (;;) {
    size_t nl = buf.find('\n', start);
    if (nl == std::string::npos) break;
    EmitLine(pid, stream, buf.substr(start, nl + 1 - start), t_us);
    start = nl + 1;
  }
  buf.erase(0, start);
  while (buf.size() >= kMaxLine) {
    EmitLine(pid, stream, buf.substr(0, kMaxLine), t_us);
    buf.erase(0, kMaxLine);
  }
  if (over > 0 && !limit_reported_[s]) {
    limit_reported_[s] = true;
    if (!buf.empty()) {
      EmitLine(pid, stream, std::move(buf), t_us);
      buf.clear();
    }
    Event e;
    e.t_us = t_us;
    e.type = EventType::kLimit;
    e.kind = "output";
    e.pid = pid;
    e.detail = fmt::format("{} passed {}: later output is counted, not kept", StreamName(stream),
                           FormatSize(cap_));
    emit_(std::move(e));
  }
}

void OutputCapture::FlushProcess(pid_t pid, int64_t t_us) {
  auto it = partial_.find(pid);
  if (it == partial_.end()) return;
  for (size_t s = 0; s < 2; ++s) {
    if (!it->second[s].empty())
      EmitLine(pid, s == 0 ? Stream::kStdout : Stream::kStderr, std::move(it->second[s]), t_us);
  }
  partial_.erase(it);
}

void OutputCapture::FlushLine(pid_t pid, Stream stream, int64_t t_us) {
  auto it = partial_.find(pid);
  if (it == partial_.end()) return;
  std::string& buf = it->second[Index(stream)];
  if (buf.empty()) return;
  EmitLine(pid, stream, std::move(buf), t_us);
  buf.clear();
}

void OutputCapture::FlushAll(int64_t t_us) {
  while (!partial_.empty()) FlushProcess(partial_.begin()->first, t_us);
}

int64_t OutputCapture::unattributed(Stream s) const {
  return std::max<int64_t>(0, piped_[Index(s)] - attributed_[Index(s)]);
}

void OutputCapture::EmitLine(pid_t pid, Stream stream, std::string text, int64_t t_us) {
  while (text.size() > kMaxLine) {  // one event per 64 KiB, newline or not
    EmitLine(pid, stream, text.substr(0, kMaxLine), t_us);
    text.erase(0, kMaxLine);
  }
  Event e;
  e.t_us = t_us;
  e.type = EventType::kOutput;
  e.pid = pid;
  e.stream = stream;
  e.text = std::move(text);
  emit_(std::move(e));
}

}  // namespace proclab
