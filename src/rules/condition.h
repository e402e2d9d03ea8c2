// Sigma detection conditions: parsing into a small tree over selection indexes, and evaluation.
//
// Grammar (EBNF; keywords are case-insensitive; precedence low to high: or, and, not, x of, ()):
//
//   condition  = or_expr , EOF ;
//   or_expr    = and_expr , { "or" , and_expr } ;
//   and_expr   = not_expr , { "and" , not_expr } ;
//   not_expr   = "not" , not_expr | primary ;
//   primary    = "(" , or_expr , ")" | quantifier | identifier ;
//   quantifier = ( "1" | "any" | "all" ) , "of" , ( "them" | pattern ) ;
//   pattern    = identifier with "*" wildcards, e.g. "sel*" ;
//   identifier = ( letter | digit | "_" | "-" | "." ) , { letter | digit | "_" | "-" | "." | "*" }
//   ;
//
// "them" means every selection whose name does not start with "_". Nesting (brackets and "not")
// is capped at kMaxConditionDepth so hostile input cannot exhaust the stack.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vetter::rules {

inline constexpr int kMaxConditionDepth = 64;

struct ConditionNode {
  enum class Kind : std::uint8_t { kSelection, kAnd, kOr, kNot };
  Kind kind = Kind::kSelection;
  std::uint32_t selection = 0;          // kSelection: index into the rule's selections
  std::vector<std::uint32_t> children;  // kAnd/kOr: any count; kNot: one
};

struct Condition {
  std::vector<ConditionNode> nodes;
  std::uint32_t root = 0;
  std::vector<bool> used;  // per selection: referenced anywhere in the condition
};

struct ConditionError {
  std::size_t offset = 0;  // 0-based position in the condition text
  std::string code;        // codes::kCondition
  std::string message;     // starts with a messages:: constant
};

// nullopt on a syntax error, an unknown name, a pattern that matches nothing or too deep nesting;
// `error` says where and why.
std::optional<Condition> parse_condition(std::string_view text,
                                         std::span<const std::string> selections,
                                         ConditionError& error);

// Evaluates the tree; `selection_result(i)` is called lazily, at most once per use.
template <typename SelectionFn>
bool evaluate(const Condition& c, std::uint32_t node, SelectionFn&& selection_result) {
  const ConditionNode& n = c.nodes[node];
  switch (n.kind) {
    case ConditionNode::Kind::kSelection:
      return selection_result(n.selection);
    case ConditionNode::Kind::kNot:
      return !evaluate(c, n.children[0], selection_result);
    case ConditionNode::Kind::kAnd:
      for (std::uint32_t child : n.children) {
        if (!evaluate(c, child, selection_result)) return false;
      }
      return true;
    case ConditionNode::Kind::kOr:
      for (std::uint32_t child : n.children) {
        if (evaluate(c, child, selection_result)) return true;
      }
      return false;
  }
  return false;
}

}  // namespace vetter::rules
