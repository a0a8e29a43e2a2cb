// Which build of proclab is running, for the grading cache (design.md §2.6):
// results cached by one build are not trusted by another, since a new build
// may judge, score or explain differently.
#pragma once

#include <string>

namespace proclab::os {

// "build-id:HEX": the linker's build ID of the running program (its
// NT_GNU_BUILD_ID note, read from memory), which changes with any change to
// the linked code. Without one: "exe:HEX", an FNV-1a hash of the executable
// file's content. "" when neither can be had.
std::string BuildIdentity();

}  // namespace proclab::os
