// Matching files: paths in a real folder: globs, hidden names, links that
// must not be followed, what may be read and how much, the caps.
#include "runner/os/file_glob.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "runner/os/unique_fd.h"

namespace proclab::os {
namespace {
namespace fs = std::filesystem;

class GlobFolder {
 public:
  GlobFolder() {
    char templ[] = "/tmp/proclab-glob-test-XXXXXX";
    path_ = mkdtemp(templ);
    fd_.Reset(open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  }
  ~GlobFolder() { fs::remove_all(path_); }
  GlobFolder(const GlobFolder&) = delete;
  GlobFolder& operator=(const GlobFolder&) = delete;
  void Put(const std::string& rel, const std::string& text = "x\n") const {
    const fs::path p = fs::path(path_) / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  [[nodiscard]] std::string At(const std::string& rel) const { return path_ + "/" + rel; }
  [[nodiscard]] int fd() const { return fd_.get(); }

 private:
  std::string path_;
  UniqueFd fd_;
};

std::vector<std::string> Paths(const GlobResult& r) {
  std::vector<std::string> out;
  for (const auto& e : r.entries) out.push_back(e.path);
  return out;
}

TEST(FileGlobTest, NamesAndPatternsInOrder) {
  GlobFolder d;
  d.Put("out.txt");
  d.Put("logs/b.log");
  d.Put("logs/a.log");
  d.Put("logs/.hidden.log");
  d.Put("logs/notes.txt");
  EXPECT_EQ(Paths(GlobAt(d.fd(), "out.txt", {})), std::vector<std::string>{"out.txt"});
  GlobResult logs = GlobAt(d.fd(), "logs/*.log", {});
  EXPECT_EQ(Paths(logs), (std::vector<std::string>{"logs/a.log", "logs/b.log"}));
  EXPECT_EQ(logs.matched, 2);
  EXPECT_EQ(Paths(GlobAt(d.fd(), "logs/.*", {})), std::vector<std::string>{"logs/.hidden.log"});
  EXPECT_EQ(Paths(GlobAt(d.fd(), "*/a.log", {})), std::vector<std::string>{"logs/a.log"});
  EXPECT_EQ(GlobAt(d.fd(), "logs/a.log", {}).entries[0].size, 2);
  EXPECT_EQ(KindOfMode(GlobAt(d.fd(), "logs", {}).entries[0].mode), "folder");
}

TEST(FileGlobTest, NothingMatchedListsTheFolder) {
  GlobFolder d;
  d.Put("logs/x.txt");
  d.Put("prog");
  GlobResult r = GlobAt(d.fd(), "logs/*.log", {});
  EXPECT_EQ(r.matched, 0);
  EXPECT_EQ(r.folder, "logs");
  EXPECT_EQ(r.missing, "");
  EXPECT_EQ(r.listing, std::vector<std::string>{"x.txt"});
  GlobResult none = GlobAt(d.fd(), "out/run/a.txt", {});
  EXPECT_EQ(none.folder, "");
  EXPECT_EQ(none.missing, "out");
  EXPECT_EQ(none.listing, (std::vector<std::string>{"logs", "prog"}));
  EXPECT_EQ(none.listing_total, 2);
  GlobResult file_on_the_way = GlobAt(d.fd(), "prog/a.txt", {});
  EXPECT_EQ(file_on_the_way.missing, "prog");
}

// The lab may be root: a link must not take it out of the run's folder.
TEST(FileGlobTest, LinksAreNotFollowed) {
  GlobFolder d;
  GlobFolder secret;
  secret.Put("passwd", "root:x:0:0\n");
  ASSERT_EQ(symlink(secret.At("").c_str(), d.At("etc").c_str()), 0);
  ASSERT_EQ(symlink(secret.At("passwd").c_str(), d.At("out.txt").c_str()), 0);
  GlobResult through = GlobAt(d.fd(), "etc/passwd", {});
  EXPECT_EQ(through.matched, 0);
  EXPECT_EQ(through.missing, "etc");
  GlobOptions read;
  read.read_bytes = 1024;
  GlobResult link = GlobAt(d.fd(), "out.txt", read);
  ASSERT_EQ(link.matched, 1);
  EXPECT_EQ(KindOfMode(link.entries[0].mode), "symlink");
  EXPECT_FALSE(link.entries[0].head) << "a link's target was read";
  // Negative control: the same file, really in the folder, is read.
  d.Put("real.txt", "root:x:0:0\n");
  GlobResult real = GlobAt(d.fd(), "real.txt", read);
  ASSERT_TRUE(real.entries[0].head);
  EXPECT_EQ(*real.entries[0].head, "root:x:0:0\n");
}

TEST(FileGlobTest, ReadsTheHeadWithinTheCaps) {
  GlobFolder d;
  d.Put("big.txt", std::string(100, 'a'));
  d.Put("small.txt", "hello\n");
  GlobOptions o;
  o.read_bytes = 10;
  GlobResult big = GlobAt(d.fd(), "big.txt", o);
  EXPECT_EQ(*big.entries[0].head, std::string(10, 'a'));
  EXPECT_TRUE(big.entries[0].head_cut);
  EXPECT_EQ(big.entries[0].size, 100);
  GlobResult small = GlobAt(d.fd(), "small.txt", o);
  EXPECT_EQ(*small.entries[0].head, "hello\n");
  EXPECT_FALSE(small.entries[0].head_cut);
  // The budget is shared by every file read.
  int64_t budget = 12;
  o.read_budget = &budget;
  GlobResult both = GlobAt(d.fd(), "*.txt", o);
  ASSERT_EQ(both.entries.size(), 2u);
  EXPECT_EQ(*both.entries[0].head, std::string(10, 'a'));
  EXPECT_EQ(*both.entries[1].head, "he");
  EXPECT_TRUE(both.entries[1].head_cut);
  GlobResult spent = GlobAt(d.fd(), "small.txt", o);
  EXPECT_FALSE(spent.entries[0].head);
  EXPECT_NE(spent.entries[0].unread.find("as much of the run's files"), std::string::npos);
}

TEST(FileGlobTest, ReadsOnlyWhatTheProgramsUserCould) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to own files another user cannot read";
  GlobFolder d;
  d.Put("mine.txt", "secret\n");
  d.Put("open.txt", "public\n");
  ASSERT_EQ(chmod(d.At("mine.txt").c_str(), 0600), 0);
  ASSERT_EQ(chmod(d.At("open.txt").c_str(), 0644), 0);
  GlobOptions o;
  o.read_bytes = 100;
  o.reader_uid = 65534;
  o.reader_gid = 65534;
  GlobResult mine = GlobAt(d.fd(), "mine.txt", o);
  EXPECT_FALSE(mine.entries[0].head);
  EXPECT_EQ(mine.entries[0].unread, "its mode 0600 does not let the program's user read it");
  EXPECT_EQ(*GlobAt(d.fd(), "open.txt", o).entries[0].head, "public\n");
  // Its owner may read it.
  ASSERT_EQ(chown(d.At("mine.txt").c_str(), 65534, 65534), 0);
  EXPECT_EQ(*GlobAt(d.fd(), "mine.txt", o).entries[0].head, "secret\n");
}

TEST(FileGlobTest, AFifoIsNeitherReadNorWaitedOn) {
  GlobFolder d;
  ASSERT_EQ(mkfifo(d.At("pipe").c_str(), 0644), 0);
  GlobOptions o;
  o.read_bytes = 100;
  GlobResult r = GlobAt(d.fd(), "pipe", o);
  ASSERT_EQ(r.matched, 1);
  EXPECT_EQ(KindOfMode(r.entries[0].mode), "fifo");
  EXPECT_FALSE(r.entries[0].head);
}

TEST(FileGlobTest, CapsBoundWhatIsRecordedAndScanned) {
  GlobFolder d;
  for (int i = 0; i < 30; ++i) d.Put("f" + std::to_string(100 + i));
  GlobOptions o;
  o.max_entries = 5;
  GlobResult r = GlobAt(d.fd(), "f*", o);
  EXPECT_EQ(r.matched, 30);
  EXPECT_EQ(r.entries.size(), 5u);
  EXPECT_FALSE(r.capped);
  o.max_scanned = 10;
  GlobResult scanned = GlobAt(d.fd(), "f*", o);
  EXPECT_TRUE(scanned.capped);
  EXPECT_EQ(scanned.matched, 10);
}

}  // namespace
}  // namespace proclab::os
