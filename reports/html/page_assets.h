// The page's stylesheet and script (reports/html/assets/), embedded at build
// time by reports/html/embed_assets.cmake: the binary needs no files beside it.
#pragma once

namespace proclab::html {

extern const char* const kPageCss;
extern const char* const kPageJs;

}  // namespace proclab::html
