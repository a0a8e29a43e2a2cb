#include "reports/html/html_page.h"

#include <fmt/format.h>

#include "reports/html/page_assets.h"

namespace proclab::html {

std::string Escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string RenderPage(const PageRun& run) {
  std::string model = PageModel(run).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  // Inside <script>, "</" could end the element early; JSON reads "<\/" as "</".
  for (size_t at = model.find("</"); at != std::string::npos; at = model.find("</", at + 3))
    model.replace(at, 2, "<\\/");
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      // No request may leave the page: not even for a favicon.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
      "<link rel=\"icon\" href=\"data:,\">\n"
      "<title>{} — proclab</title>\n<style>\n{}</style>\n</head>\n<body>\n"
      "<header id=\"head\"></header>\n<ul id=\"verdicts\"></ul>\n"
      "<div id=\"bar\"><button id=\"zout\" title=\"zoom out (-)\">−</button>"
      "<button id=\"zin\" title=\"zoom in (+)\">+</button>"
      "<button id=\"fit\" title=\"the whole run (0)\">fit</button>"
      "<span class=\"hint\">drag to pan · ctrl+wheel to zoom · hover a mark for details · "
      "click an expectation to see its events</span><span class=\"legend\" "
      "id=\"legend\"></span></div>\n"
      "<div id=\"main\"><div id=\"chart\"></div><aside id=\"transcript\"></aside></div>\n"
      "<div id=\"tip\"></div>\n"
      "<script type=\"application/json\" id=\"model\">{}</script>\n"
      "<script>\n{}</script>\n</body>\n</html>\n",
      Escape(run.title), kPageCss, model, kPageJs);
}

}  // namespace proclab::html
