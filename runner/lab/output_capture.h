// Output attributed to its writer. The lab reads what a process passes to
// write/writev on fd 1 or 2 at the syscall's seccomp stop, so each line is
// known with its writing pid; lines are cut at '\n' per (process, stream).
// At most `cap` bytes per stream are kept; the rest is counted.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "runner/timeline/event.h"

namespace proclab {

class OutputCapture {
 public:
  using Emit = std::function<void(Event)>;
  OutputCapture(int64_t cap, Emit emit) : cap_(cap), emit_(std::move(emit)) {}

  // How many more bytes of `stream` are worth reading from a tracee.
  [[nodiscard]] size_t Budget(Stream stream) const;
  // A write of `total` bytes by `pid`, of which `data` (a prefix) was read.
  void Write(pid_t pid, Stream stream, std::string_view data, uint64_t total, int64_t t_us);
  // Emits what `pid` printed without a final newline (at exit or exec).
  void FlushProcess(pid_t pid, int64_t t_us);
  // Emits one stream's unfinished line of `pid` (see LabControl::EndPartialLine).
  void FlushLine(pid_t pid, Stream stream, int64_t t_us);
  // Grows with every write: an unfinished line may have changed.
  [[nodiscard]] uint64_t writes() const { return writes_; }
  // When the last write happened (-1: none yet).
  [[nodiscard]] int64_t last_write_us() const { return last_write_us_; }
  // Every unfinished line: (pid, stream) -> text.
  [[nodiscard]] const std::map<pid_t, std::array<std::string, 2>>& partial() const {
    return partial_;
  }
  void FlushAll(int64_t t_us);

  // Bytes that arrived in the capture pipe (counted by the lab's pump).
  void PipeBytes(Stream stream, int64_t n) { piped_[Index(stream)] += n; }
  [[nodiscard]] int64_t dropped(Stream s) const { return dropped_[Index(s)]; }
  // Pipe bytes no write(2) on fd 1/2 accounts for (dup'd descriptors, sendfile…).
  [[nodiscard]] int64_t unattributed(Stream s) const;

 private:
  static size_t Index(Stream s) { return s == Stream::kStdout ? 0 : 1; }
  void EmitLine(pid_t pid, Stream stream, std::string text, int64_t t_us);

  static constexpr size_t kMaxLine = 64 << 10;  // longer lines are cut in pieces
  int64_t cap_;
  Emit emit_;
  std::map<pid_t, std::array<std::string, 2>> partial_;
  uint64_t writes_ = 0;
  int64_t last_write_us_ = -1;
  std::array<int64_t, 2> kept_{0, 0};
  std::array<int64_t, 2> dropped_{0, 0};
  std::array<int64_t, 2> attributed_{0, 0};
  std::array<int64_t, 2> piped_{0, 0};
  std::array<bool, 2> limit_reported_{false, false};
};

}  // namespace proclab
