// A folder under /tmp for one test, removed with everything in it when the
// object goes. Programs may run as `nobody`: give the folder a mode they can
// enter (0755, or 0777 for one they write to) when they need it.
#pragma once

#include <sys/types.h>

#include <string>

namespace proclab::testing {

class TempFolder {
 public:
  // `name` goes into the folder's name, so that a folder left by a crashed
  // test says which test made it.
  explicit TempFolder(const std::string& name = "test", mode_t mode = 0700);
  ~TempFolder();
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  [[nodiscard]] const std::string& path() const { return path_; }
  // The path of `rel` inside the folder.
  [[nodiscard]] std::string At(const std::string& rel) const;
  // Writes `text` to `rel` (making the folders on the way) with `mode`, and
  // returns its path.
  std::string Put(const std::string& rel, const std::string& text = "x\n",
                  mode_t mode = 0644) const;

 private:
  std::string path_;
};

}  // namespace proclab::testing
