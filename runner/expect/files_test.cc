// files: judged on facts written by hand into the timeline, as the lab would
// record them: exists, absent, count, kind, size, lines, written, and what
// the run left outside its folder. Each check is shown failing too.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "runner/expect/test_timelines.h"

namespace proclab::expect_test {
namespace {

Scenario Program() {
  Scenario s;
  s.name = "unit";
  s.program = {"python3", "writer.py"};
  s.roles.push_back(MainRole("main"));
  return s;
}

// A test's own, changeable copy of the expectation's file fields.
Expectation::FileCheck& FileOf(Expectation& e) {
  auto f = std::make_shared<Expectation::FileCheck>(e.Files());
  e.file = f;
  return *f;
}

Expectation FilesExp(std::string path) {
  Expectation e = Exp(K::kFiles);
  FileOf(e).path = std::move(path);
  return e;
}

FileEntry File(std::string path, std::string text, bool written = true) {
  FileEntry f;
  f.path = std::move(path);
  f.kind = "file";
  f.size = static_cast<int64_t>(text.size());
  f.written = written;
  f.text = std::move(text);
  return f;
}

FileEntry Entry(std::string path, std::string kind) {
  FileEntry f;
  f.path = std::move(path);
  f.kind = std::move(kind);
  f.written = true;
  return f;
}

FileFacts Found(std::string pattern, std::vector<FileEntry> entries) {
  FileFacts f;
  f.pattern = std::move(pattern);
  f.matched = static_cast<int64_t>(entries.size());
  f.entries = std::move(entries);
  return f;
}

FileFacts NotFound(std::string pattern, std::vector<std::string> listing, std::string folder = "",
                   std::string missing = "") {
  FileFacts f;
  f.pattern = std::move(pattern);
  f.folder = std::move(folder);
  f.missing = std::move(missing);
  f.listing_total = static_cast<int64_t>(listing.size());
  f.listing = std::move(listing);
  return f;
}

// The program (pid 2) ran and exited; the lab recorded `files`.
Timeline Ran(std::vector<FileFacts> files) {
  Tl tl;
  tl.Spawn(0, 2, "python3").Exit(100'000, 2, 0).End(200'000);
  tl.t.files = std::move(files);
  return std::move(tl.t);
}

Verdict JudgeFiles(const Timeline& t, Expectation e) {
  return JudgeOne(Program(), t, std::move(e));
}

TEST(ExpectFilesTest, AFileThatIsThere) {
  Verdict v = JudgeFiles(Ran({Found("out.txt", {File("out.txt", "done\n")})}), FilesExp("out.txt"));
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_EQ(v.expectation, "files: {path: \"out.txt\"}");
  EXPECT_TRUE(Has(v.explanation, "out.txt is there: a file of 5 bytes, written by the run"));
}

TEST(ExpectFilesTest, AFileNeverCreatedNamesWhatTheFolderHad) {
  Verdict v = JudgeFiles(Ran({NotFound("out.txt", {"Out.txt", "prog"})}), FilesExp("out.txt"));
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.explanation,
            "out.txt was never created (the folder had: Out.txt, prog); is Out.txt meant to be it?")
      << Show(v);
  Verdict empty = JudgeFiles(Ran({NotFound("out.txt", {})}), FilesExp("out.txt"));
  EXPECT_EQ(empty.explanation, "out.txt was never created (the folder was empty)");
}

TEST(ExpectFilesTest, AMissingFolderOnTheWay) {
  Verdict v = JudgeFiles(Ran({NotFound("logs/run.log", {"a.txt", "prog"}, "", "logs")}),
                         FilesExp("logs/run.log"));
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(
      v.explanation,
      "logs/run.log was never created: there is no folder logs (the folder had: a.txt, prog)");
  Verdict glob =
      JudgeFiles(Ran({NotFound("logs/*.log", {"x.txt"}, "logs")}), FilesExp("logs/*.log"));
  EXPECT_EQ(glob.explanation, "nothing matched 'logs/*.log' (the folder logs had: x.txt)");
}

TEST(ExpectFilesTest, ALongListingIsCut) {
  std::vector<std::string> names;
  names.reserve(20);
  for (int i = 0; i < 20; ++i) names.push_back(fmt::format("f{:02}", i));
  FileFacts f = NotFound("out.txt", names);
  f.listing_total = 70;  // the lab listed 20 of 70
  Verdict v = JudgeFiles(Ran({f}), FilesExp("out.txt"));
  EXPECT_TRUE(Has(v.explanation, "f07, and 62 more)")) << Show(v);
}

TEST(ExpectFilesTest, CountOfAGlob) {
  Expectation e = FilesExp("logs/*.log");
  e.count = {std::nullopt, 2};
  const Timeline three = Ran({Found(
      "logs/*.log", {File("logs/a.log", ""), File("logs/b.log", ""), File("logs/c.log", "")})});
  Verdict v = JudgeFiles(three, e);
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.explanation,
            "3 entries matched 'logs/*.log', expected at most 2: logs/a.log, logs/b.log, "
            "logs/c.log");
  e.count = {2, 3};
  Verdict ok = JudgeFiles(three, e);
  EXPECT_TRUE(ok.passed) << Show(ok);
  EXPECT_TRUE(Has(ok.explanation, "3 entries matched 'logs/*.log': logs/a.log"));
}

TEST(ExpectFilesTest, PastTheScanCapTheCountIsAFloor) {
  FileFacts f = Found("*.tmp", {File("a.tmp", "")});
  f.matched = 5000;
  f.capped = true;
  Expectation e = FilesExp("*.tmp");
  e.count = {std::nullopt, 10};
  Verdict v = JudgeFiles(Ran({f}), e);
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "at least 5000 entries matched '*.tmp', expected at most 10 "
                  "(the lab stopped counting there)"))
      << Show(v);
  e.count = {100, std::nullopt};  // a floor of 5000 meets "at least 100"
  EXPECT_TRUE(JudgeFiles(Ran({f}), e).passed);
}

TEST(ExpectFilesTest, Absent) {
  Expectation e = FilesExp("core");
  FileOf(e).absent = true;
  Verdict ok = JudgeFiles(Ran({NotFound("core", {"prog"})}), e);
  EXPECT_TRUE(ok.passed) << Show(ok);
  EXPECT_EQ(ok.explanation, "core is not there");
  EXPECT_EQ(ok.expectation, "files: {path: \"core\", absent: true}");
  Verdict left = JudgeFiles(Ran({Found("core", {File("core", "xxxx")})}), e);
  EXPECT_FALSE(left.passed);
  EXPECT_EQ(left.explanation, "core is still there: a file of 4 bytes, written by the run");
  Verdict old = JudgeFiles(Ran({Found("core", {File("core", "xxxx", false)})}), e);
  EXPECT_EQ(old.explanation, "core is still there: a file of 4 bytes, there before the run");
}

TEST(ExpectFilesTest, AbsentAfterTheRunRemovedIt) {
  FileFacts f = NotFound("input.lock", {"prog"});
  f.gone = {"input.lock"};
  Expectation e = FilesExp("input.lock");
  FileOf(e).absent = true;
  Verdict ok = JudgeFiles(Ran({f}), e);
  EXPECT_TRUE(ok.passed);
  EXPECT_EQ(ok.explanation, "input.lock is not there: the run removed it");
  // Negative control: expected to stay, it was removed.
  Verdict gone = JudgeFiles(Ran({f}), FilesExp("input.lock"));
  EXPECT_FALSE(gone.passed);
  EXPECT_EQ(gone.explanation, "input.lock was there before the run, and the run removed it");
}

TEST(ExpectFilesTest, Size) {
  Expectation e = FilesExp("out.txt");
  FileOf(e).size = {1, std::nullopt};
  Verdict empty = JudgeFiles(Ran({Found("out.txt", {File("out.txt", "")})}), e);
  EXPECT_FALSE(empty.passed);
  EXPECT_EQ(empty.explanation, "out.txt has 0 bytes, expected at least 1 byte");
  EXPECT_EQ(empty.expectation, "files: {path: \"out.txt\", size: {min: 1B}}");
  EXPECT_TRUE(JudgeFiles(Ran({Found("out.txt", {File("out.txt", "x")})}), e).passed);
  FileOf(e).size = {std::nullopt, 10 << 10};
  FileEntry big = File("out.txt", "");
  big.size = 20 << 10;
  Verdict v = JudgeFiles(Ran({Found("out.txt", {big})}), e);
  EXPECT_EQ(v.explanation, "out.txt has 20KiB, expected at most 10KiB");
}

TEST(ExpectFilesTest, ALineOfTheFileMatches) {
  Expectation e = FilesExp("out.txt");
  e.pattern = "^total \\d+$";
  const Timeline t = Ran({Found("out.txt", {File("out.txt", "counting\ntotal 4000\n")})});
  Verdict v = JudgeFiles(t, e);
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_TRUE(Has(v.explanation, "; line 2 of out.txt matched: 'total 4000'"));
  e.pattern = "^total 5000$";
  Verdict no = JudgeFiles(t, e);
  EXPECT_FALSE(no.passed);
  EXPECT_EQ(no.explanation,
            "no line of out.txt matched '^total 5000$' (it has 2 lines; the first: 'counting')");
}

TEST(ExpectFilesTest, ALastLineWithoutNewlineCountsButNotOneCutByTheCap) {
  Expectation e = FilesExp("out.txt");
  e.pattern = "done$";
  EXPECT_TRUE(JudgeFiles(Ran({Found("out.txt", {File("out.txt", "a\ndone")})}), e).passed);
  FileEntry cut = File("out.txt", "a\nb\ndone");  // the read stopped in the middle of "done…"
  cut.text_cut = true;
  cut.size = 1 << 20;
  Verdict v = JudgeFiles(Ran({Found("out.txt", {cut})}), e);
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation,
                  "it has more than 2 lines; the first: 'a'; only its first 8 "
                  "bytes were read"))
      << Show(v);
}

TEST(ExpectFilesTest, AnEmptyOrUnreadableFile) {
  Expectation e = FilesExp("out.txt");
  e.pattern = "done";
  Verdict empty = JudgeFiles(Ran({Found("out.txt", {File("out.txt", "")})}), e);
  EXPECT_EQ(empty.explanation, "no line of out.txt matched 'done' (it is empty)");
  FileEntry locked = File("out.txt", "");
  locked.text.reset();
  locked.unread = "its mode 0200 does not let the program's user read it";
  Verdict v = JudgeFiles(Ran({Found("out.txt", {locked})}), e);
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.explanation,
            "out.txt could not be read: its mode 0200 does not let the program's user read it");
}

TEST(ExpectFilesTest, EachFileOfAGlobMustMatch) {
  Expectation e = FilesExp("logs/*.log");
  e.pattern = "finished";
  const Timeline t = Ran(
      {Found("logs/*.log", {File("logs/a.log", "finished\n"), File("logs/b.log", "started\n")})});
  Verdict v = JudgeFiles(t, e);
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.explanation,
            "no line of logs/b.log matched 'finished' (it has 1 line; the first: 'started')");
}

TEST(ExpectFilesTest, PlaceholdersNameThePids) {
  Expectation e = FilesExp("pid.txt");
  e.pattern = "^{pid:main}$";
  EXPECT_TRUE(JudgeFiles(Ran({Found("pid.txt", {File("pid.txt", "2\n")})}), e).passed);
  Verdict v = JudgeFiles(Ran({Found("pid.txt", {File("pid.txt", "3\n")})}), e);
  EXPECT_FALSE(v.passed);
  EXPECT_TRUE(Has(v.explanation, "(where {pid:main} = 2)")) << Show(v);
}

TEST(ExpectFilesTest, Kind) {
  Expectation e = FilesExp("myfifo");
  FileOf(e).file_kind = "fifo";
  EXPECT_TRUE(JudgeFiles(Ran({Found("myfifo", {Entry("myfifo", "fifo")})}), e).passed);
  Verdict v = JudgeFiles(Ran({Found("myfifo", {File("myfifo", "")})}), e);
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.explanation, "myfifo is a file, not a FIFO");
  Expectation lines = FilesExp("logs");
  lines.pattern = "x";
  EXPECT_EQ(JudgeFiles(Ran({Found("logs", {Entry("logs", "folder")})}), lines).explanation,
            "logs is a folder, not a file");
}

TEST(ExpectFilesTest, Written) {
  Expectation e = FilesExp("out.txt");
  FileOf(e).written = true;
  EXPECT_TRUE(JudgeFiles(Ran({Found("out.txt", {File("out.txt", "x")})}), e).passed);
  Verdict v = JudgeFiles(Ran({Found("out.txt", {File("out.txt", "x", false)})}), e);
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.explanation, "out.txt was there before the run, and the run did not change it");
  // Without written:, it passes, and says so.
  Verdict said =
      JudgeFiles(Ran({Found("out.txt", {File("out.txt", "x", false)})}), FilesExp("out.txt"));
  EXPECT_TRUE(said.passed);
  EXPECT_TRUE(Has(said.explanation, "there before the run"));
}

TEST(ExpectFilesTest, NothingRecordedIsAFailure) {
  Verdict v = JudgeFiles(Ran({}), FilesExp("out.txt"));
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.explanation, "the lab recorded nothing about 'out.txt'");
}

// outside: none

Expectation Outside() {
  Expectation e = Exp(K::kFiles);
  FileOf(e).outside = true;
  return e;
}

Timeline Left(std::vector<LeftEntry> entries) {
  Timeline t = Ran({});
  LeftOutside l;
  l.watched = {"/tmp", "/var/tmp", "/dev/shm"};
  l.total = static_cast<int64_t>(entries.size());
  l.entries = std::move(entries);
  t.left_outside = std::move(l);
  return t;
}

LeftEntry LeftAt(std::string path, std::string kind, bool removed = false) {
  LeftEntry e;
  e.path = std::move(path);
  e.kind = std::move(kind);
  e.removed = removed;
  return e;
}

TEST(ExpectFilesTest, NothingLeftOutside) {
  Verdict v = JudgeFiles(Left({}), Outside());
  EXPECT_TRUE(v.passed) << Show(v);
  EXPECT_EQ(v.expectation, "files: {outside: none}");
  EXPECT_EQ(v.explanation, "the run left nothing in /tmp, /var/tmp or /dev/shm");
}

TEST(ExpectFilesTest, LeftOutsideIsNamed) {
  Verdict v = JudgeFiles(Left({LeftAt("/tmp/fifo-1234", "fifo")}), Outside());
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.explanation,
            "left behind outside its folder: /tmp/fifo-1234 (a FIFO); it is still "
            "there");
  LeftEntry sem = LeftAt("/dev/shm/sem.ticket", "file", true);
  LeftEntry dir = LeftAt("/tmp/scratch", "folder", true);
  dir.entries = 3;
  Verdict both = JudgeFiles(Left({sem, dir}), Outside());
  EXPECT_EQ(both.explanation,
            "left behind outside its folder: /dev/shm/sem.ticket (a POSIX semaphore: "
            "sem_unlink() removes it), /tmp/scratch (a folder with 3 entries); proclab removed "
            "them");
}

TEST(ExpectFilesTest, LeftOutsideWithoutALookIsAFailure) {
  Verdict v = JudgeFiles(Ran({}), Outside());
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.explanation, "the lab did not look at what the run left outside its folder");
}

}  // namespace
}  // namespace proclab::expect_test
