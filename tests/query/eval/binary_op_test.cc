// Binary operators: arithmetic, comparisons, set operators, matching and cardinality errors.
#include <catch2/catch.hpp>

#include <cmath>

#include "query/eval/binary_op.h"
#include "query/engine_fakes.h"

using namespace fenrir;
using namespace fenrir::testing;
using query::BinaryOp;
using query::Vector;
using query::VectorMatching;

namespace {

query::BinaryExpr Expr(BinaryOp op, bool ret_bool = false, bool specified = false, bool on = false,
                       std::vector<std::string> labels = {},
                       VectorMatching::Card card = VectorMatching::Card::kOneToOne,
                       std::vector<std::string> include = {}) {
  query::BinaryExpr e;
  e.op = op;
  e.return_bool = ret_bool;
  e.matching.specified = specified;
  e.matching.on = on;
  e.matching.labels = std::move(labels);
  e.matching.card = card;
  e.matching.include = std::move(include);
  return e;
}

double ValueOf(const Vector& v, const storage::Labels& l) {
  for (const auto& s : v) {
    if (s.metric == l) return s.value;
  }
  return -12345;
}

}  // namespace

TEST_CASE("scalar arithmetic and comparisons") {
  struct Case {
    BinaryOp op;
    double l, r, want;
  };
  std::vector<Case> cases = {
      {BinaryOp::kAdd, 1, 2, 3},  {BinaryOp::kSub, 1, 2, -1}, {BinaryOp::kMul, 3, 2, 6},
      {BinaryOp::kDiv, 3, 2, 1.5}, {BinaryOp::kMod, 7, 4, 3},  {BinaryOp::kPow, 2, 10, 1024},
      {BinaryOp::kGt, 2, 1, 1},   {BinaryOp::kGt, 1, 2, 0},   {BinaryOp::kEq, 2, 2, 1},
      {BinaryOp::kNotEq, 2, 2, 0}, {BinaryOp::kLte, 2, 2, 1}, {BinaryOp::kLt, 2, 2, 0},
      {BinaryOp::kGte, 1, 2, 0},
  };
  for (const auto& c : cases) {
    INFO(query::Name(c.op));
    CHECK(query::ScalarBinary(c.op, c.l, c.r) == c.want);
  }
  CHECK(std::isnan(query::ScalarBinary(BinaryOp::kDiv, 1, 0)));
  CHECK(std::isnan(query::ScalarBinary(BinaryOp::kMod, 1, 0)));
  CHECK(std::isnan(query::ScalarBinary(BinaryOp::kAdd, NAN, 1)));
}

TEST_CASE("literal against a vector: filtering and bool comparisons, operand order") {
  Vector v = {{L({{"a", "1"}}), 5}, {L({{"a", "2"}}), 50}};
  auto filtered = query::LiteralBinary(BinaryOp::kGt, false, 10, false, v);
  REQUIRE(filtered.size() == 1);
  CHECK(filtered[0].value == 50);
  auto with_bool = query::LiteralBinary(BinaryOp::kGt, true, 10, false, v);
  CHECK(ValueOf(with_bool, L({{"a", "1"}})) == 0);
  CHECK(ValueOf(with_bool, L({{"a", "2"}})) == 1);
  // 10 > v keeps the literal's value (Loki returns the left operand).
  auto lit_left = query::LiteralBinary(BinaryOp::kGt, false, 10, true, v);
  REQUIRE(lit_left.size() == 1);
  CHECK(lit_left[0].value == 10);
  auto minus = query::LiteralBinary(BinaryOp::kSub, false, 100, true, v);
  CHECK(ValueOf(minus, L({{"a", "1"}})) == 95);
  auto div = query::LiteralBinary(BinaryOp::kDiv, false, 0, false, v);
  CHECK(std::isnan(div[0].value));
}

TEST_CASE("one-to-one vector matching on identical labels, on and ignoring") {
  Vector l = {{L({{"ns", "a"}, {"pod", "1"}}), 10}, {L({{"ns", "b"}, {"pod", "2"}}), 20}};
  Vector r = {{L({{"ns", "a"}, {"pod", "1"}}), 2}, {L({{"ns", "c"}, {"pod", "9"}}), 4}};
  auto plain = query::VectorBinary(Expr(BinaryOp::kDiv), l, r);
  REQUIRE(plain.ok());
  REQUIRE(plain->size() == 1);
  CHECK((*plain)[0].value == 5);
  CHECK((*plain)[0].metric == L({{"ns", "a"}, {"pod", "1"}}));

  Vector r2 = {{L({{"ns", "a"}, {"x", "q"}}), 2}, {L({{"ns", "b"}, {"x", "q"}}), 4}};
  auto on = query::VectorBinary(Expr(BinaryOp::kMul, false, true, true, {"ns"}), l, r2);
  REQUIRE(on.ok());
  CHECK(ValueOf(*on, L({{"ns", "a"}})) == 20);
  CHECK(ValueOf(*on, L({{"ns", "b"}})) == 80);
  auto ignoring =
      query::VectorBinary(Expr(BinaryOp::kSub, false, true, false, {"pod"}), l,
                          Vector{{L({{"ns", "a"}}), 1}});
  REQUIRE(ignoring.ok());
  REQUIRE(ignoring->size() == 1);
  CHECK((*ignoring)[0].metric == L({{"ns", "a"}}));
  CHECK((*ignoring)[0].value == 9);
}

TEST_CASE("comparisons between vectors filter or return bool") {
  Vector l = {{L({{"a", "1"}}), 1}, {L({{"a", "2"}}), 5}};
  Vector r = {{L({{"a", "1"}}), 3}, {L({{"a", "2"}}), 3}};
  auto f = query::VectorBinary(Expr(BinaryOp::kGt), l, r);
  REQUIRE(f->size() == 1);
  CHECK((*f)[0].value == 5);
  auto b = query::VectorBinary(Expr(BinaryOp::kGt, true), l, r);
  REQUIRE(b->size() == 2);
  CHECK(ValueOf(*b, L({{"a", "1"}})) == 0);
  CHECK(ValueOf(*b, L({{"a", "2"}})) == 1);
}

TEST_CASE("group_left and group_right with include labels") {
  Vector many = {{L({{"ns", "a"}, {"pod", "1"}}), 10}, {L({{"ns", "a"}, {"pod", "2"}}), 30}};
  Vector one = {{L({{"ns", "a"}, {"team", "t1"}}), 40}};
  auto left = query::VectorBinary(
      Expr(BinaryOp::kDiv, false, true, true, {"ns"}, VectorMatching::Card::kManyToOne,
           {"team"}),
      many, one);
  REQUIRE(left.ok());
  REQUIRE(left->size() == 2);
  CHECK(ValueOf(*left, L({{"ns", "a"}, {"pod", "1"}, {"team", "t1"}})) == 0.25);
  CHECK(ValueOf(*left, L({{"ns", "a"}, {"pod", "2"}, {"team", "t1"}})) == 0.75);
  auto right = query::VectorBinary(
      Expr(BinaryOp::kSub, false, true, true, {"ns"}, VectorMatching::Card::kOneToMany), one,
      many);
  REQUIRE(right.ok());
  CHECK(ValueOf(*right, L({{"ns", "a"}, {"pod", "1"}})) == 30);
  CHECK(ValueOf(*right, L({{"ns", "a"}, {"pod", "2"}})) == 10);
}

TEST_CASE("cardinality errors use Loki's messages") {
  Vector many = {{L({{"ns", "a"}, {"pod", "1"}}), 10}, {L({{"ns", "a"}, {"pod", "2"}}), 30}};
  Vector one = {{L({{"ns", "a"}}), 40}};
  struct Case {
    query::BinaryExpr expr;
    Vector l, r;
    std::string msg;
  };
  std::vector<Case> cases;
  cases.push_back({Expr(BinaryOp::kAdd, false, true, true, {"ns"}), many, one,
                   "multiple matches for labels: many-to-one matching must be explicit "
                   "(group_left/group_right)"});
  cases.push_back({Expr(BinaryOp::kAdd, false, true, true, {"ns"}), one, many,
                   "found duplicate series on the right hand-side;many-to-many matching not "
                   "allowed: matching labels must be unique on one side"});
  cases.push_back({Expr(BinaryOp::kAdd, false, true, true, {"ns"},
                        VectorMatching::Card::kOneToMany),
                   many, one,
                   "found duplicate series on the left hand-side;many-to-many matching not "
                   "allowed: matching labels must be unique on one side"});
  cases.push_back({Expr(BinaryOp::kAdd, false, true, true, {"ns"},
                        VectorMatching::Card::kManyToOne),
                   Vector{{L({{"ns", "a"}, {"pod", "1"}, {"x", "1"}}), 1},
                          {L({{"ns", "a"}, {"pod", "1"}, {"x", "2"}}), 1}},
                   Vector{{L({{"ns", "a"}, {"pod", "1"}}), 1}}, ""});
  for (const auto& c : cases) {
    auto r = query::VectorBinary(c.expr, c.l, c.r);
    if (c.msg.empty()) {
      CHECK(r.ok());
      continue;
    }
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message() == c.msg);
  }
  // Same result labels from two left samples: grouping labels must ensure unique matches.
  Vector l = {{L({{"ns", "a"}, {"pod", "1"}}), 1}, {L({{"ns", "a"}, {"pod", "2"}}), 2}};
  auto dup = query::VectorBinary(
      Expr(BinaryOp::kAdd, false, true, false, {"pod"}, VectorMatching::Card::kManyToOne), l,
      Vector{{L({{"ns", "a"}}), 1}});
  REQUIRE(dup.ok());  // results keep pod, so they differ
}

TEST_CASE("and, or, unless") {
  Vector l = {{L({{"ns", "a"}}), 1}, {L({{"ns", "b"}}), 2}};
  Vector r = {{L({{"ns", "b"}}), 20}, {L({{"ns", "c"}}), 30}};
  auto a = query::VectorBinary(Expr(BinaryOp::kAnd), l, r);
  REQUIRE(a->size() == 1);
  CHECK((*a)[0].value == 2);
  auto o = query::VectorBinary(Expr(BinaryOp::kOr), l, r);
  REQUIRE(o->size() == 3);
  CHECK(ValueOf(*o, L({{"ns", "b"}})) == 2);
  CHECK(ValueOf(*o, L({{"ns", "c"}})) == 30);
  auto u = query::VectorBinary(Expr(BinaryOp::kUnless), l, r);
  REQUIRE(u->size() == 1);
  CHECK((*u)[0].value == 1);
  CHECK(query::VectorBinary(Expr(BinaryOp::kAnd), l, {})->empty());
  CHECK(query::VectorBinary(Expr(BinaryOp::kOr), {}, r)->size() == 2);
  CHECK(query::VectorBinary(Expr(BinaryOp::kUnless), l, {})->size() == 2);
  auto on = query::VectorBinary(Expr(BinaryOp::kAnd, false, true, true, {}), l, r);
  CHECK(on->size() == 2);  // on () matches everything
}
