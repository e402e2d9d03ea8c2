// Recursive-descent parser for Sigma conditions (grammar in condition.h).
#include "condition.h"

#include "vetter/model/text.h"

#include <cctype>

#include "vetter/rules/codes.h"

namespace vetter::rules {
namespace {

enum class Tok { kIdent, kAnd, kOr, kNot, kOf, kOne, kAll, kThem, kLParen, kRParen, kEnd, kBad };

struct Token {
  Tok kind = Tok::kEnd;
  std::string_view text;
  std::size_t offset = 0;
};

bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
         c == '*';
}

using model::iequals;

// `*` in a selection pattern matches any run of characters.
bool pattern_matches(std::string_view pattern, std::string_view name) {
  std::size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      ++p;
      ++n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

class Parser {
 public:
  Parser(std::string_view text, std::span<const std::string> selections, ConditionError& error)
      : text_(text), selections_(selections), error_(error) {
    out_.used.assign(selections.size(), false);
  }

  std::optional<Condition> run() {
    advance();
    std::optional<std::uint32_t> root = parse_or(0);
    if (!root) return std::nullopt;
    if (current_.kind != Tok::kEnd) {
      return fail(current_.offset, "unexpected '" + std::string(current_.text) + "'");
    }
    out_.root = *root;
    return std::move(out_);
  }

 private:
  std::nullopt_t fail(std::size_t offset, std::string detail,
                      std::string_view message = messages::kConditionSyntax) {
    if (!failed_) {
      failed_ = true;
      error_.offset = offset;
      error_.code = std::string(codes::kCondition);
      error_.message = std::string(message) + ": " + detail;
    }
    return std::nullopt;
  }

  void advance() {
    std::size_t i = pos_;
    while (i < text_.size() && std::isspace(static_cast<unsigned char>(text_[i])))
      ++i;
    Token t;
    t.offset = i;
    if (i >= text_.size()) {
      t.kind = Tok::kEnd;
      pos_ = i;
      current_ = t;
      return;
    }
    const char c = text_[i];
    if (c == '(' || c == ')') {
      t.kind = c == '(' ? Tok::kLParen : Tok::kRParen;
      t.text = text_.substr(i, 1);
      pos_ = i + 1;
      current_ = t;
      return;
    }
    if (!ident_char(c)) {
      t.kind = Tok::kBad;
      t.text = text_.substr(i, 1);
      pos_ = i + 1;
      current_ = t;
      return;
    }
    std::size_t j = i;
    while (j < text_.size() && ident_char(text_[j]))
      ++j;
    t.text = text_.substr(i, j - i);
    pos_ = j;
    if (iequals(t.text, "and"))
      t.kind = Tok::kAnd;
    else if (iequals(t.text, "or"))
      t.kind = Tok::kOr;
    else if (iequals(t.text, "not"))
      t.kind = Tok::kNot;
    else if (iequals(t.text, "of"))
      t.kind = Tok::kOf;
    else if (t.text == "1" || iequals(t.text, "any"))
      t.kind = Tok::kOne;
    else if (iequals(t.text, "all"))
      t.kind = Tok::kAll;
    else if (iequals(t.text, "them"))
      t.kind = Tok::kThem;
    else
      t.kind = Tok::kIdent;
    current_ = t;
  }

  std::uint32_t add(ConditionNode node) {
    out_.nodes.push_back(std::move(node));
    return static_cast<std::uint32_t>(out_.nodes.size() - 1);
  }

  std::optional<std::uint32_t> parse_or(int depth) {
    std::optional<std::uint32_t> first = parse_and(depth);
    if (!first || current_.kind != Tok::kOr) return first;
    ConditionNode node{ConditionNode::Kind::kOr, 0, {*first}};
    while (current_.kind == Tok::kOr) {
      advance();
      std::optional<std::uint32_t> next = parse_and(depth);
      if (!next) return std::nullopt;
      node.children.push_back(*next);
    }
    return add(std::move(node));
  }

  std::optional<std::uint32_t> parse_and(int depth) {
    std::optional<std::uint32_t> first = parse_not(depth);
    if (!first || current_.kind != Tok::kAnd) return first;
    ConditionNode node{ConditionNode::Kind::kAnd, 0, {*first}};
    while (current_.kind == Tok::kAnd) {
      advance();
      std::optional<std::uint32_t> next = parse_not(depth);
      if (!next) return std::nullopt;
      node.children.push_back(*next);
    }
    return add(std::move(node));
  }

  std::optional<std::uint32_t> parse_not(int depth) {
    if (current_.kind != Tok::kNot) return parse_primary(depth);
    if (depth + 1 > kMaxConditionDepth) {
      return fail(current_.offset, "more than " + std::to_string(kMaxConditionDepth) + " levels",
                  messages::kConditionDepth);
    }
    advance();
    std::optional<std::uint32_t> operand = parse_not(depth + 1);
    if (!operand) return std::nullopt;
    return add({ConditionNode::Kind::kNot, 0, {*operand}});
  }

  std::optional<std::uint32_t> parse_primary(int depth) {
    const Token t = current_;
    switch (t.kind) {
      case Tok::kLParen: {
        if (depth + 1 > kMaxConditionDepth) {
          return fail(t.offset, "more than " + std::to_string(kMaxConditionDepth) + " levels",
                      messages::kConditionDepth);
        }
        advance();
        std::optional<std::uint32_t> inner = parse_or(depth + 1);
        if (!inner) return std::nullopt;
        if (current_.kind != Tok::kRParen) {
          return fail(current_.offset,
                      "expected ')' to close the '(' at column " + std::to_string(t.offset + 1));
        }
        advance();
        return inner;
      }
      case Tok::kOne:
      case Tok::kAll:
        return parse_quantifier(t.kind == Tok::kAll);
      case Tok::kIdent: {
        advance();
        if (t.text.find('*') != std::string_view::npos) {
          return fail(t.offset, "a '*' pattern needs '1 of' or 'all of' before it");
        }
        for (std::size_t i = 0; i < selections_.size(); ++i) {
          if (selections_[i] == t.text) {
            out_.used[i] = true;
            return add({ConditionNode::Kind::kSelection, static_cast<std::uint32_t>(i), {}});
          }
        }
        return fail(t.offset, "'" + std::string(t.text) + "'", messages::kConditionUnknown);
      }
      case Tok::kEnd:
        return fail(t.offset, "expression expected at end of condition");
      default:
        return fail(t.offset, "unexpected '" + std::string(t.text) + "'");
    }
  }

  std::optional<std::uint32_t> parse_quantifier(bool all) {
    advance();
    if (current_.kind != Tok::kOf) {
      return fail(current_.offset, "expected 'of' after '1'/'all'");
    }
    advance();
    const Token target = current_;
    if (target.kind != Tok::kThem && target.kind != Tok::kIdent) {
      return fail(target.offset, "expected 'them' or a selection pattern after 'of'");
    }
    advance();
    ConditionNode node{all ? ConditionNode::Kind::kAnd : ConditionNode::Kind::kOr, 0, {}};
    for (std::size_t i = 0; i < selections_.size(); ++i) {
      const bool hit = target.kind == Tok::kThem ? !selections_[i].starts_with('_')
                                                 : pattern_matches(target.text, selections_[i]);
      if (!hit) continue;
      out_.used[i] = true;
      node.children.push_back(
          add({ConditionNode::Kind::kSelection, static_cast<std::uint32_t>(i), {}}));
    }
    if (node.children.empty()) {
      return fail(target.offset, "'" + std::string(target.text) + "'", messages::kConditionNoMatch);
    }
    return add(std::move(node));
  }

  std::string_view text_;
  std::span<const std::string> selections_;
  ConditionError& error_;
  Condition out_;
  Token current_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace

std::optional<Condition> parse_condition(std::string_view text,
                                         std::span<const std::string> selections,
                                         ConditionError& error) {
  return Parser(text, selections, error).run();
}

}  // namespace vetter::rules
