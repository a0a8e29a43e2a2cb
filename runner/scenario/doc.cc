#include "runner/scenario/doc.h"

#include <algorithm>

namespace proclab {

const DocNode& DocNode::Undefined() {
  static const DocNode undefined;
  return undefined;
}

const DocNode& DocNode::operator[](std::string_view key) const {
  for (const auto& [k, v] : entries())
    if (k->IsScalar() && k->Scalar() == key) return *v;
  return Undefined();
}

DocNode* Document::Make(DocNode::Kind kind) {
  DocNode& n = nodes_.emplace_back();
  n.kind_ = kind;
  return &n;
}

std::string_view Document::Keep(std::string_view text) {
  if (text.empty()) return {};
  auto* at = static_cast<char*>(text_->allocate(text.size(), 1));
  std::copy(text.begin(), text.end(), at);
  return {at, text.size()};
}

DocNode* Document::Scalar(std::string_view text) {
  DocNode* n = Make(DocNode::Kind::kScalar);
  n->text_ = Keep(text);
  return n;
}

DocNode* Document::Function(int ref) {
  DocNode* n = Make(DocNode::Kind::kFunction);
  n->function_ref_ = ref;
  return n;
}

}  // namespace proclab
