// Output written through other descriptors for fds 1 and 2 (issue 9): glibc's
// perror() writes through a dup of fd 2 on a terminal, and programs dup
// stdout themselves. Each line is recorded for the process that wrote it, on
// a pty and through pipes; writes through a dup of anything else are not.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "tests/integration/lab_harness.h"

namespace proclab::testing {
namespace {

class OutputAliases : public ::testing::TestWithParam<std::tuple<os::Isolation, bool>> {
 protected:
  [[nodiscard]] bool tty() const { return std::get<1>(GetParam()); }
  Timeline Run(const std::vector<std::string>& args) {
    Timeline t = RunTracee(std::get<0>(GetParam()), "dup_writer", args,
                           [this](LabConfig& c) { c.tty = tty(); });
    EXPECT_EQ(Record(t, t.main_pid).exit->code, 0) << Dump(t);
    return t;
  }
  // The one output line of the run, which must be by `pid` on `stream`.
  static void ExpectOneLine(const Timeline& t, pid_t pid, Stream stream, const std::string& text) {
    auto out = EventsOf(t, EventType::kOutput);
    ASSERT_EQ(out.size(), 1u) << Dump(t);
    EXPECT_EQ(out[0].pid, pid) << Dump(t);
    EXPECT_EQ(out[0].stream, stream) << Dump(t);
    EXPECT_EQ(out[0].text, text) << Dump(t);
    EXPECT_EQ(t.summary.output_unattributed[0] + t.summary.output_unattributed[1], 0) << Dump(t);
  }
};

TEST_P(OutputAliases, PerrorIsRecordedForItsWriter) {
  Timeline t = Run({"perror"});
  ExpectOneLine(t, t.main_pid, Stream::kStderr, "dup_writer: No such file or directory\n");
}

TEST_P(OutputAliases, AWriteThroughADupOfStdoutIsRecorded) {
  Timeline t = Run({"dup"});
  ExpectOneLine(t, t.main_pid, Stream::kStdout, "through dup\n");
  Timeline t2 = Run({"dup2"});  // dup2(2, 7)
  ExpectOneLine(t2, t2.main_pid, Stream::kStderr, "through dup2\n");
  Timeline t3 = Run({"fcntl"});  // fcntl(1, F_DUPFD_CLOEXEC, 20)
  ExpectOneLine(t3, t3.main_pid, Stream::kStdout, "through fcntl\n");
}

TEST_P(OutputAliases, AForkedChildsWriteThroughTheInheritedDupIsTheChilds) {
  Timeline t = Run({"fork"});
  auto kids = ChildrenOf(t, t.main_pid);
  ASSERT_EQ(kids.size(), 1u) << Dump(t);
  auto out = EventsOf(t, EventType::kOutput);
  ASSERT_EQ(out.size(), 2u) << Dump(t);
  EXPECT_EQ(out[0].pid, kids[0]);
  EXPECT_EQ(out[0].text, "child via alias\n");
  EXPECT_EQ(out[1].pid, t.main_pid);
  EXPECT_EQ(out[1].text, "parent via alias\n");
}

TEST_P(OutputAliases, ADupKeptAcrossExecIsStillFollowed) {
  Timeline t = Run({"exec"});
  ExpectOneLine(t, t.main_pid, Stream::kStdout, "after exec\n");
}

// Negative controls: a dup of a file, and a file opened under the number a
// closed dup of stdout had, are the program's business, not its output.
TEST_P(OutputAliases, WritesThroughADupOfAFileAreNotOutput) {
  char dir[] = "/tmp/proclab-aliases-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  chmod(dir, 0777);  // the program runs as nobody
  for (const char* mode : {"file", "reused"}) {
    const std::string path = fmt::format("{}/{}.txt", dir, mode);
    Timeline t = Run({mode, path});
    EXPECT_TRUE(EventsOf(t, EventType::kOutput).empty()) << mode << "\n" << Dump(t);
    std::ifstream f(path);
    std::stringstream text;
    text << f.rdbuf();
    EXPECT_EQ(text.str(), "into the file\n") << mode;
  }
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Both, OutputAliases,
                         ::testing::Combine(::testing::ValuesIn(Isolations()), ::testing::Bool()),
                         [](const auto& info) {
                           return IsolationName(std::get<0>(info.param)) +
                                  (std::get<1>(info.param) ? "Tty" : "Pipes");
                         });

}  // namespace
}  // namespace proclab::testing
