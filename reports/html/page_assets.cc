#include "reports/html/page_assets.h"

namespace proclab::html {

// Generated from reports/html/assets/ (page.css, page.js).
#include "reports/html/page_assets.inc"

}  // namespace proclab::html
