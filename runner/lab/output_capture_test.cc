#include "runner/lab/output_capture.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace proclab {
namespace {

constexpr size_t kMaxLine = 64 << 10;

struct Recorder {
  std::vector<Event> events;
  OutputCapture::Emit emit() {
    return [this](Event e) { events.push_back(std::move(e)); };
  }
  [[nodiscard]] std::vector<std::string> Lines(pid_t pid, Stream s) const {
    std::vector<std::string> out;
    for (const auto& e : events)
      if (e.type == EventType::kOutput && e.pid == pid && e.stream == s) out.push_back(e.text);
    return out;
  }
  [[nodiscard]] size_t Bytes(Stream s) const {
    size_t n = 0;
    for (const auto& e : events)
      if (e.type == EventType::kOutput && e.stream == s) n += e.text.size();
    return n;
  }
  [[nodiscard]] int Limits() const {
    int n = 0;
    for (const auto& e : events) n += e.type == EventType::kLimit;
    return n;
  }
};

// A write the way the lab reports it: the whole payload was read.
void Put(OutputCapture& c, pid_t pid, Stream s, const std::string& data, int64_t t = 0) {
  c.Write(pid, s, data, data.size(), t);
}

TEST(OutputCapture, SplitsLinesAndKeepsThePartialOne) {
  Recorder r;
  OutputCapture c(1 << 20, r.emit());
  Put(c, 7, Stream::kStdout, "a\nbb\nccc", 42);
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].type, EventType::kOutput);
  EXPECT_EQ(r.events[0].pid, 7);
  EXPECT_EQ(r.events[0].stream, Stream::kStdout);
  EXPECT_EQ(r.events[0].t_us, 42);
  EXPECT_EQ(r.Lines(7, Stream::kStdout), (std::vector<std::string>{"a\n", "bb\n"}));
  Put(c, 7, Stream::kStdout, "d\n\n");
  EXPECT_EQ(r.Lines(7, Stream::kStdout), (std::vector<std::string>{"a\n", "bb\n", "cccd\n", "\n"}));
}

TEST(OutputCapture, FlushProcessEmitsPartialLines) {
  Recorder r;
  OutputCapture c(1 << 20, r.emit());
  Put(c, 3, Stream::kStdout, "no newline");
  Put(c, 3, Stream::kStderr, "err");
  Put(c, 4, Stream::kStdout, "other");
  EXPECT_TRUE(r.events.empty());
  c.FlushProcess(99, 10);  // negative control: someone else's flush
  EXPECT_TRUE(r.events.empty());
  c.FlushProcess(3, 10);
  EXPECT_EQ(r.Lines(3, Stream::kStdout), std::vector<std::string>{"no newline"});
  EXPECT_EQ(r.Lines(3, Stream::kStderr), std::vector<std::string>{"err"});
  EXPECT_EQ(r.events[0].t_us, 10);
  EXPECT_TRUE(r.Lines(4, Stream::kStdout).empty());
  c.FlushProcess(3, 11);  // nothing left
  EXPECT_EQ(r.events.size(), 2u);
  c.FlushAll(12);
  EXPECT_EQ(r.Lines(4, Stream::kStdout), std::vector<std::string>{"other"});
  c.FlushAll(13);
  EXPECT_EQ(r.events.size(), 3u);
}

TEST(OutputCapture, InterleavedWritersKeepSeparateBuffers) {
  Recorder r;
  OutputCapture c(1 << 20, r.emit());
  Put(c, 1, Stream::kStdout, "par");
  Put(c, 2, Stream::kStdout, "chi");
  Put(c, 1, Stream::kStderr, "warn");
  Put(c, 2, Stream::kStdout, "ld\n");
  Put(c, 1, Stream::kStdout, "ent\n");
  Put(c, 1, Stream::kStderr, "ing\n");
  EXPECT_EQ(r.Lines(1, Stream::kStdout), std::vector<std::string>{"parent\n"});
  EXPECT_EQ(r.Lines(2, Stream::kStdout), std::vector<std::string>{"child\n"});
  EXPECT_EQ(r.Lines(1, Stream::kStderr), std::vector<std::string>{"warning\n"});
  EXPECT_TRUE(r.Lines(2, Stream::kStderr).empty());
}

TEST(OutputCapture, CapIsExact) {
  Recorder r;
  OutputCapture c(10, r.emit());
  EXPECT_EQ(c.Budget(Stream::kStdout), 10u);
  Put(c, 5, Stream::kStdout, "aaaaa\n");
  EXPECT_EQ(c.Budget(Stream::kStdout), 4u);
  EXPECT_EQ(r.Limits(), 0);
  // The lab reads only the budget; the write's full size is `total`.
  std::string big = "bbbbbbbb\n";
  c.Write(5, Stream::kStdout, big.substr(0, c.Budget(Stream::kStdout)), big.size(), 1);
  Put(c, 6, Stream::kStdout, "cccc\n", 2);
  EXPECT_EQ(r.Bytes(Stream::kStdout), 10u);
  EXPECT_EQ(c.dropped(Stream::kStdout), 5 + 5);
  EXPECT_EQ(c.Budget(Stream::kStdout), 0u);
  EXPECT_EQ(r.Limits(), 1);
  EXPECT_EQ(r.Lines(5, Stream::kStdout), (std::vector<std::string>{"aaaaa\n", "bbbb"}));

  const Event* limit = nullptr;
  for (const auto& e : r.events)
    if (e.type == EventType::kLimit) limit = &e;
  ASSERT_NE(limit, nullptr);
  EXPECT_EQ(limit->kind, "output");
  EXPECT_EQ(limit->pid, 5);
  EXPECT_NE(limit->detail.find("stdout"), std::string::npos);
  EXPECT_NE(limit->detail.find("10B"), std::string::npos);

  // stderr has its own cap and its own single limit event.
  EXPECT_EQ(c.dropped(Stream::kStderr), 0);
  Put(c, 5, Stream::kStderr, std::string(25, 'e'));
  Put(c, 5, Stream::kStderr, std::string(3, 'e'));
  EXPECT_EQ(r.Bytes(Stream::kStderr), 10u);
  EXPECT_EQ(c.dropped(Stream::kStderr), 18);
  EXPECT_EQ(r.Limits(), 2);
}

TEST(OutputCapture, FillingTheCapExactlyIsNotALimit) {
  Recorder r;
  OutputCapture c(8, r.emit());
  Put(c, 1, Stream::kStdout, "1234567\n");
  EXPECT_EQ(c.Budget(Stream::kStdout), 0u);
  EXPECT_EQ(c.dropped(Stream::kStdout), 0);
  EXPECT_EQ(r.Limits(), 0);
  Put(c, 1, Stream::kStdout, "x");  // one byte more: now it is
  EXPECT_EQ(c.dropped(Stream::kStdout), 1);
  EXPECT_EQ(r.Limits(), 1);
}

TEST(OutputCapture, LongLinesWithoutNewlineAreCut) {
  Recorder r;
  OutputCapture c(1 << 20, r.emit());
  Put(c, 1, Stream::kStdout, std::string(kMaxLine + 100, 'x'));
  ASSERT_EQ(r.Lines(1, Stream::kStdout).size(), 1u);
  EXPECT_EQ(r.Lines(1, Stream::kStdout)[0].size(), kMaxLine);
  c.FlushProcess(1, 0);
  ASSERT_EQ(r.Lines(1, Stream::kStdout).size(), 2u);
  EXPECT_EQ(r.Lines(1, Stream::kStdout)[1].size(), 100u);
  // Negative control: a line just under the limit is kept whole.
  Put(c, 2, Stream::kStdout, std::string(kMaxLine - 1, 'y'));
  EXPECT_TRUE(r.Lines(2, Stream::kStdout).empty());
}

TEST(OutputCapture, LongLinesEndingInNewlineAreCut) {
  Recorder r;
  OutputCapture c(1 << 20, r.emit());
  Put(c, 1, Stream::kStdout, std::string(kMaxLine + 100, 'x') + "\n");
  Put(c, 2, Stream::kStdout, std::string(kMaxLine - 10, 'y'));
  Put(c, 2, Stream::kStdout, std::string(20, 'y') + "\n");
  for (const auto& e : r.events) EXPECT_LE(e.text.size(), kMaxLine);
  EXPECT_EQ(r.Bytes(Stream::kStdout), 2 * kMaxLine + 112);  // every byte, newlines included
}

// A write from a bad buffer (EFAULT) reads fewer bytes than it asks for: that
// is not output past the cap.
TEST(OutputCapture, UnreadBytesUnderTheCapAreNotALimit) {
  Recorder r;
  OutputCapture c(1 << 20, r.emit());
  c.Write(1, Stream::kStdout, "ab", 10, 0);  // only 2 of 10 bytes were readable
  EXPECT_EQ(r.Limits(), 0);
  EXPECT_EQ(c.dropped(Stream::kStdout), 0);
}

TEST(OutputCapture, Unattributed) {
  Recorder r;
  OutputCapture c(1 << 20, r.emit());
  c.PipeBytes(Stream::kStdout, 100);
  Put(c, 1, Stream::kStdout, std::string(60, 'a'));
  EXPECT_EQ(c.unattributed(Stream::kStdout), 40);
  EXPECT_EQ(c.unattributed(Stream::kStderr), 0);
  // Dropped bytes were still attributed to a write.
  OutputCapture small(10, r.emit());
  small.PipeBytes(Stream::kStderr, 50);
  Put(small, 1, Stream::kStderr, std::string(50, 'b'));
  EXPECT_EQ(small.dropped(Stream::kStderr), 40);
  EXPECT_EQ(small.unattributed(Stream::kStderr), 0);
  // Writes not yet pumped through the pipe never make it negative.
  Put(c, 1, Stream::kStdout, std::string(100, 'a'));
  EXPECT_EQ(c.unattributed(Stream::kStdout), 0);
}

// An expected prompt ends its line early: only that (pid, stream) is cut,
// and what the process writes next starts a new line.
TEST(OutputCapture, APromptCanBeEndedBeforeItsNewline) {
  Recorder r;
  OutputCapture c(1 << 20, r.emit());
  Put(c, 10, Stream::kStdout, "name? ");
  Put(c, 10, Stream::kStderr, "warn");
  Put(c, 11, Stream::kStdout, "other");
  ASSERT_EQ(c.partial().at(10)[0], "name? ");
  c.FlushLine(10, Stream::kStdout, 5);
  EXPECT_EQ(r.Lines(10, Stream::kStdout), std::vector<std::string>{"name? "});
  EXPECT_TRUE(r.Lines(10, Stream::kStderr).empty());
  EXPECT_TRUE(r.Lines(11, Stream::kStdout).empty());
  EXPECT_EQ(c.partial().at(10)[0], "");
  Put(c, 10, Stream::kStdout, "Ada\n");
  EXPECT_EQ(r.Lines(10, Stream::kStdout), (std::vector<std::string>{"name? ", "Ada\n"}));
  // Nothing to end: no event.
  c.FlushLine(10, Stream::kStdout, 6);
  c.FlushLine(99, Stream::kStdout, 6);
  EXPECT_EQ(r.Lines(10, Stream::kStdout).size(), 2u);
}

}  // namespace
}  // namespace proclab
