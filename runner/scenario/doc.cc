#include "runner/scenario/doc.h"

#include <algorithm>
#include <limits>
#include <new>
#include <stdexcept>
#include <type_traits>

namespace proclab {

const DocNode& DocNode::Undefined() {
  static const DocNode undefined{};
  return undefined;
}

const DocNode& DocNode::operator[](std::string_view key) const {
  for (const auto& [k, v] : entries())
    if (k->IsScalar() && k->Scalar() == key) return *v;
  return Undefined();
}

// DocNode is trivially destructible, so the arena may drop nodes unrun.
static_assert(std::is_trivially_destructible_v<DocNode>);
static_assert(sizeof(DocNode) <= 32, "a 10 MB file is some 1.4 million nodes");

DocNode* Document::Make(DocNode::Kind kind) {
  auto* n = new (arena_->allocate(sizeof(DocNode), alignof(DocNode))) DocNode();
  n->kind_ = kind;
  ++nodes_;
  return n;
}

std::string_view Document::Keep(std::string_view text) {
  if (text.empty()) return {};
  auto* at = static_cast<char*>(arena_->allocate(text.size(), 1));
  std::copy(text.begin(), text.end(), at);
  return {at, text.size()};
}

DocNode* Document::Scalar(std::string_view text) {
  if (text.size() > std::numeric_limits<uint32_t>::max())
    throw std::length_error("a scalar of 4 GiB or more");
  DocNode* n = Make(DocNode::Kind::kScalar);
  const std::string_view kept = Keep(text);
  n->text_ = kept.data();
  n->size_ = static_cast<uint32_t>(kept.size());
  return n;
}

void Document::SetPlace(DocNode* node, std::string_view place) {
  node->place_ = new (arena_->allocate(sizeof(std::string_view), alignof(std::string_view)))
      std::string_view(Keep(place));
}

void Document::SetKids(DocNode* node, std::span<const DocNode* const> kids) {
  if (kids.size() > std::numeric_limits<uint32_t>::max())
    throw std::length_error("a list or map of 4 billion entries");
  auto* at = static_cast<const DocNode**>(
      arena_->allocate(kids.size_bytes() ? kids.size_bytes() : 1, alignof(const DocNode*)));
  std::copy(kids.begin(), kids.end(), at);
  node->kids_ = at;
  node->size_ = static_cast<uint32_t>(kids.size());
}

DocNode* Document::Function(int ref) {
  DocNode* n = Make(DocNode::Kind::kFunction);
  n->function_ref_ = ref;
  return n;
}

}  // namespace proclab
