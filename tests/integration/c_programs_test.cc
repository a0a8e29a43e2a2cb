// `program: [x.c]`: the C file is read and compiled as the account the
// program runs as (nobody when the runner is root), so the compiler's
// messages quote nothing the program could not read itself; a readable
// program compiles and runs as before.
#include "runner/run/c_programs.h"

#include <fmt/format.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "tests/integration/lab_harness.h"
#include "tests/support/temp_folder.h"

namespace proclab::testing {
namespace {

using proclab::testing::TempFolder;

namespace fs = std::filesystem;

// A folder in /tmp with mode `mode`, removed at the end.
// Different each run, so that no cached binary answers for the compiler.
std::string Fresh() { return fmt::format("/* {} {} */\n", getpid(), std::random_device{}()); }

const char* kHello =
    "#include <stdio.h>\n#include <unistd.h>\n"
    "int main(void) { printf(\"hello from %d\\n\", (int)getuid()); return 0; }\n";

uid_t ProgramUid() {
  if (geteuid() != 0) return geteuid();
  const passwd* pw = getpwnam("nobody");
  return pw ? pw->pw_uid : 65534;
}

TEST(CompileC, AReadableProgramCompilesAndRunsAsItsUser) {
  TempFolder dir("cc-test", 0755);
  const std::string source = dir.Put("hello.c", kHello + Fresh());
  auto exe = CompileC(source);
  ASSERT_TRUE(exe.ok()) << exe.error().message;
  struct stat st {};
  ASSERT_EQ(stat(exe->c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, geteuid()) << "the cached binary is the runner's, not the compiler's";
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  EXPECT_EQ(CompileC(source).value(), *exe) << "a second compile is the cached binary";
  const Timeline t = RunCommand(os::Isolation::kAuto, {*exe});
  EXPECT_EQ(OutputText(t), fmt::format("hello from {}\n", ProgramUid())) << Dump(t);
  fs::remove(*exe);
}

TEST(CompileC, EachAccountHasItsOwnCachedBinary) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root: programs then run as nobody";
  TempFolder dir("cc-test", 0755);
  const std::string source = dir.Put("hello.c", kHello + Fresh());
  auto as_nobody = CompileC(source);
  auto as_root = CompileC(source, "root");
  ASSERT_TRUE(as_nobody.ok()) << as_nobody.error().message;
  ASSERT_TRUE(as_root.ok()) << as_root.error().message;
  EXPECT_NE(*as_nobody, *as_root);
  fs::remove(*as_nobody);
  fs::remove(*as_root);
}

TEST(CompileC, ASourceItsUserCannotReadIsNotCompiled) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root: programs then run as nobody";
  TempFolder dir("cc-test", 0700);
  const std::string source = dir.Put("hello.c", kHello + Fresh(), 0600);
  auto exe = CompileC(source);
  ASSERT_FALSE(exe.ok());
  EXPECT_EQ(exe.error().message,
            fmt::format("could not compile {}: nobody cannot read it: Permission denied (EACCES)",
                        source));
  // Control: the file itself compiles, for an account that may read it.
  auto as_root = CompileC(source, "root");
  ASSERT_TRUE(as_root.ok()) << as_root.error().message;
  fs::remove(*as_root);
}

// The compiler quotes a file it reads when the file is not C: run as
// nobody it may not read a private header, and says only that.
TEST(CompileC, AnIncludeItsUserCannotReadIsNotQuoted) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root: programs then run as nobody";
  TempFolder secret_dir("cc-test", 0700);
  const std::string word = fmt::format("SECRET_{}", getpid());
  const std::string secret = secret_dir.Put("secret.h", "int " + word + " = 1 +;\n", 0600);
  TempFolder dir("cc-test", 0755);
  const std::string source =
      dir.Put("include.c", "#include \"" + secret + "\"\nint main(void) { return 0; }\n");
  auto exe = CompileC(source);
  ASSERT_FALSE(exe.ok());
  EXPECT_NE(exe.error().message.find("could not compile " + source + " (exit 1)"),
            std::string::npos)
      << exe.error().message;
  EXPECT_NE(exe.error().message.find("Permission denied"), std::string::npos)
      << exe.error().message;
  EXPECT_EQ(exe.error().message.find(word), std::string::npos) << exe.error().message;
  // Control: compiled as root, the same error quotes the secret line.
  auto as_root = CompileC(source, "root");
  ASSERT_FALSE(as_root.ok());
  EXPECT_NE(as_root.error().message.find(word), std::string::npos) << as_root.error().message;
}

// A runner that is not root compiles as itself, into its own cache.
TEST(CompileC, ARunnerThatIsNotRootCompilesAsItself) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to become another user for the test";
  const passwd* pw = getpwnam("nobody");
  if (!pw) GTEST_SKIP() << "no nobody account";
  TempFolder dir("cc-test", 0755);
  const std::string source = dir.Put("hello.c", kHello + Fresh());
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (setgroups(0, nullptr) != 0 || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) != 0 ||
        setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) != 0)
      _exit(20);
    auto exe = CompileC(source, "root");  // ignored when the runner is not root
    if (!exe.ok()) _exit(21);
    struct stat st {};
    const bool ours = stat(exe->c_str(), &st) == 0 && st.st_uid == pw->pw_uid &&
                      exe->starts_with(fmt::format("/tmp/proclab-cc-{}/", pw->pw_uid));
    unlink(exe->c_str());
    rmdir(fs::path(*exe).parent_path().c_str());  // if nothing else is cached there
    _exit(ours ? 0 : 22);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "20: could not become nobody; 21: the compile failed; "
                                       "22: the binary is not nobody's own";
}

}  // namespace
}  // namespace proclab::testing
