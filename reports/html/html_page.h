// One self-contained HTML page: inline CSS, the model as JSON, and the script
// that draws it as SVG (assets/, embedded at build time). It loads nothing:
// it opens from file:// and as a CI artifact.
#pragma once

#include <string>

#include "reports/html/page_model.h"

namespace proclab::html {

std::string RenderPage(const PageRun& run);

// Text for HTML: & < > " escaped.
std::string Escape(const std::string& text);

}  // namespace proclab::html
