// Text from files and programs, made safe to print: a scenario name or a
// program's line may hold terminal escape sequences, which must reach the
// user's terminal as visible text, never as commands.
#pragma once

#include <string>
#include <string_view>

namespace proclab {

// Control characters (C0 but tab, and newline when `keep_newlines`; DEL; the
// C1 controls U+0080–U+009F) become \xNN, \r and \n escapes. Other UTF-8 is
// kept as it is.
std::string EscapeControls(std::string_view text, bool keep_newlines = true);

// How many terminal cells EscapeControls makes of the character at `text[i]`
// (0 for a UTF-8 continuation byte).
int EscapedWidth(std::string_view text, size_t i);

}  // namespace proclab
