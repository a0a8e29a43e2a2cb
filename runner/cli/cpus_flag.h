// --cpus N|LIST (run, trace, grade): pin every lab to N CPUs, or to the
// CPUs listed ("0,2", "4-7").
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace proclab::cli {

// The CPUs `text` asks for; nullopt after saying why on stderr (a count
// over what proclab may use, a CPU it may not, not a count or a list).
std::optional<std::vector<int>> ParseCpusFlag(const std::string& text);

}  // namespace proclab::cli
