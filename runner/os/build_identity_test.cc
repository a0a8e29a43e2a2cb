#include "runner/os/build_identity.h"

#include <gtest/gtest.h>
#include <stdio.h>

#include <string>

#include "runner/os/process_ops.h"

namespace proclab::os {
namespace {

// What binutils reads from the file on disk: "Build ID: HEX".
std::string BuildIdOnDisk(const std::string& exe) {
  FILE* p = popen(("readelf -n '" + exe + "' 2>/dev/null").c_str(), "r");
  if (!p) return "";
  std::string text;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) text.append(buf, n);
  pclose(p);
  const size_t at = text.find("Build ID: ");
  if (at == std::string::npos) return "";
  return text.substr(at + 10, text.find('\n', at) - at - 10);
}

TEST(BuildIdentity, IsTheLinkersBuildIdReadFromMemory) {
  const std::string on_disk = BuildIdOnDisk(OwnExecutable());
  ASSERT_FALSE(on_disk.empty()) << "readelf found no build ID in " << OwnExecutable();
  EXPECT_EQ(BuildIdentity(), "build-id:" + on_disk);
  EXPECT_EQ(BuildIdentity(), BuildIdentity());
  // Control: another program's build ID is another identity.
  const std::string other = BuildIdOnDisk("/bin/sh");
  if (!other.empty()) {
    EXPECT_NE(BuildIdentity(), "build-id:" + other);
  }
}

}  // namespace
}  // namespace proclab::os
