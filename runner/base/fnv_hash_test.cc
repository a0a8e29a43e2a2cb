#include "runner/base/fnv_hash.h"

#include <gtest/gtest.h>

namespace proclab {
namespace {

// The published vectors (http://www.isthe.com/chongo/src/fnv/test_fnv.c).
TEST(Fnv1a, MatchesThePublishedVectors) {
  EXPECT_EQ(Fnv1a().value(), 0xcbf29ce484222325ULL);
  EXPECT_EQ(Fnv1a().Bytes("a").value(), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(Fnv1a().Bytes("foobar").value(), 0x85944171f73967e8ULL);
  EXPECT_EQ(Fnv1a().Bytes("foobar").Hex(), "85944171f73967e8");
  // Control: one byte more is another value.
  EXPECT_NE(Fnv1a().Bytes("foobar!").value(), 0x85944171f73967e8ULL);
}

TEST(Fnv1a, FieldsDoNotRunIntoEachOther) {
  EXPECT_NE(Fnv1a().Field("ab").Field("c").value(), Fnv1a().Field("a").Field("bc").value());
  EXPECT_EQ(Fnv1a().Field("ab").Field("c").value(), Fnv1a().Field("ab").Field("c").value());
  // Control: the raw bytes alone do run into each other.
  EXPECT_EQ(Fnv1a().Bytes("ab").Bytes("c").value(), Fnv1a().Bytes("a").Bytes("bc").value());
}

}  // namespace
}  // namespace proclab
