// Comparison keys for HR values: the spellings exports differ in are folded, the facts kept.
#include "vetter/model/keys.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>
#include <vector>

#include "vetter/model/text.h"

namespace vetter::model {
namespace {

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool all_digits(std::string_view s, std::size_t n) {
  return s.size() == n &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool two_letters(std::string_view s) {
  return s.size() == 2 && std::isalpha(static_cast<unsigned char>(s[0])) &&
         std::isalpha(static_cast<unsigned char>(s[1]));
}

// USPS Publication 28 abbreviations for the spellings HR exports actually mix; a short table
// searched linearly is fast enough for a per-worker (not per-event) key.
constexpr std::pair<std::string_view, std::string_view> kWords[] = {
    {"apt", "unit"},     {"apartment", "unit"}, {"unit", "unit"},       {"#", "unit"},
    {"suite", "unit"},   {"ste", "unit"},       {"room", "unit"},       {"rm", "unit"},
    {"street", "st"},    {"str", "st"},         {"saint", "st"},        {"avenue", "ave"},
    {"av", "ave"},       {"road", "rd"},        {"boulevard", "blvd"},  {"drive", "dr"},
    {"drv", "dr"},       {"parkway", "pkwy"},   {"pky", "pkwy"},        {"lane", "ln"},
    {"court", "ct"},     {"place", "pl"},       {"terrace", "ter"},     {"circle", "cir"},
    {"highway", "hwy"},  {"square", "sq"},      {"trail", "trl"},       {"center", "ctr"},
    {"centre", "ctr"},   {"crossing", "xing"},  {"expressway", "expy"}, {"freeway", "fwy"},
    {"north", "n"},      {"south", "s"},        {"east", "e"},          {"west", "w"},
    {"northeast", "ne"}, {"northwest", "nw"},   {"southeast", "se"},    {"southwest", "sw"},
    {"mount", "mt"},     {"fort", "ft"},        {"heights", "hts"},     {"junction", "jct"},
    {"point", "pt"},     {"plaza", "plz"},      {"alley", "aly"},       {"way", "way"},
};

std::string_view canonical_word(std::string_view word) {
  for (const auto& [from, to] : kWords) {
    if (word == from) return to;
  }
  return word;
}

}  // namespace

std::string address_key(std::string_view address) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  for (char c : address) {
    // Bytes >= 0x80 belong to UTF-8 letters ("Zürich"); keep them inside words.
    if (is_ascii_alnum(c) || static_cast<unsigned char>(c) >= 0x80) {
      word.push_back(lower(c));
    } else if (c == '#') {
      // "#9" and "# 9" are a unit marker followed by its number.
      flush();
      words.emplace_back("#");
    } else {
      flush();
    }
  }
  flush();

  // A ZIP code is present in some exports and not others; drop it where it is unambiguous.
  const auto n = words.size();
  if (n >= 3 && all_digits(words[n - 1], 4) && all_digits(words[n - 2], 5) &&
      two_letters(words[n - 3])) {
    words.resize(n - 2);
  } else if (n >= 2 && all_digits(words[n - 1], 5) && two_letters(words[n - 2])) {
    words.resize(n - 1);
  }

  std::string key;
  std::string_view previous;
  for (const auto& w : words) {
    const std::string_view canonical = canonical_word(w);
    if (canonical == "unit" && previous == "unit") continue;  // "Unit #9", "Apt # 3"
    if (!key.empty()) key.push_back(' ');
    key.append(canonical);
    previous = canonical;
  }
  return key;
}

std::string phone_e164(std::string_view phone, std::string_view default_calling_code) {
  std::string text(trim(phone));
  for (char& c : text)
    c = lower(c);
  // Extensions are not part of the number a person can be reached at.
  for (std::string_view marker : {";ext=", "ext.", "ext", "x"}) {
    if (auto at = text.find(marker); at != std::string::npos) text.resize(at);
  }
  // "+44 (0)20 ..." shows the trunk zero a caller inside the country dials; E.164 has none.
  for (auto at = text.find("(0)"); at != std::string::npos; at = text.find("(0)"))
    text.erase(at, 3);
  bool plus = false;
  std::string digits;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (c == ' ' || c == '\t' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')') {
      continue;
    } else {
      return {};  // letters, a second '+', anything else: not a phone number we can trust
    }
  }
  auto international = [](std::string_view d) -> std::string {
    if (d.size() < 8 || d.size() > 15 || d.front() == '0') return {};
    return "+" + std::string(d);
  };
  if (plus) return international(digits);
  if (digits.starts_with("00")) return international(std::string_view(digits).substr(2));
  if (default_calling_code == "1") {
    if (digits.starts_with("011")) return international(std::string_view(digits).substr(3));
    if (digits.size() == 11 && digits.front() == '1') return "+" + digits;
    if (digits.size() == 10) return "+1" + digits;
    return {};
  }
  if (default_calling_code.empty() ||
      !all_digits(default_calling_code, default_calling_code.size())) {
    return {};
  }
  std::string_view national = digits;
  if (national.starts_with("0")) national.remove_prefix(1);  // trunk prefix
  if (national.empty()) return {};
  return international(std::string(default_calling_code) + std::string(national));
}

std::string email_key(std::string_view email) {
  const std::string_view text = trim(email);
  const auto at = text.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == text.size()) return {};
  if (text.find('@', at + 1) != std::string_view::npos) return {};
  std::string key;
  key.reserve(text.size());
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return {};
    key.push_back(lower(c));
  }
  return key;
}

std::string document_number_key(std::string_view number) {
  std::string key;
  key.reserve(number.size());
  for (char c : number) {
    if (c == ' ' || c == '\t' || c == '-' || c == '.' || c == '\r' || c == '\n') continue;
    key.push_back((c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return key;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view value) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int length = 0;
  // HMAC() accepts a null data pointer only with length 0; an empty view may carry one.
  static const unsigned char kEmpty = 0;
  const auto* data = value.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(value.data());
  const void* key_data = key.empty() ? static_cast<const void*>(&kEmpty) : key.data();
  if (!HMAC(EVP_sha256(), key_data, static_cast<int>(key.size()), data, value.size(), mac.data(),
            &length)) {
    return {};
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[mac[i] >> 4]);
    hex.push_back(kHex[mac[i] & 0x0f]);
  }
  return hex;
}

std::string document_hash(std::string_view key, std::string_view number) {
  const std::string normalized = document_number_key(number);
  if (normalized.empty()) return {};
  return hmac_sha256_hex(key, normalized);
}

}  // namespace vetter::model
