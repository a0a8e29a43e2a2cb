#include "tests/support/temp_folder.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace proclab::testing {

namespace fs = std::filesystem;

TempFolder::TempFolder(const std::string& name, mode_t mode) {
  std::string templ = "/tmp/proclab-" + name + "-XXXXXX";
  if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp " + templ);
  path_ = templ;
  chmod(path_.c_str(), mode);
}

TempFolder::~TempFolder() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string TempFolder::At(const std::string& rel) const { return path_ + "/" + rel; }

std::string TempFolder::Put(const std::string& rel, const std::string& text, mode_t mode) const {
  const fs::path p = fs::path(path_) / rel;
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
  chmod(p.c_str(), mode);
  return p.string();
}

}  // namespace proclab::testing
