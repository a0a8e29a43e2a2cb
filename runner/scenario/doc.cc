#include "runner/scenario/doc.h"

namespace proclab {

const DocNode& DocNode::Undefined() {
  static const DocNode undefined;
  return undefined;
}

const DocNode& DocNode::operator[](std::string_view key) const {
  for (const auto& [k, v] : entries_)
    if (k->IsScalar() && k->Scalar() == key) return *v;
  return Undefined();
}

DocNode* Document::Make(DocNode::Kind kind) {
  DocNode& n = nodes_.emplace_back();
  n.kind_ = kind;
  return &n;
}

DocNode* Document::Scalar(std::string text) {
  DocNode* n = Make(DocNode::Kind::kScalar);
  n->text_ = std::move(text);
  return n;
}

DocNode* Document::Function(int ref) {
  DocNode* n = Make(DocNode::Kind::kFunction);
  n->function_ref_ = ref;
  return n;
}

}  // namespace proclab
