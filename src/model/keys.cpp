// Comparison keys for HR values: the spellings exports differ in are folded, the facts kept.
#include "vetter/model/keys.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
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
  // Entries by first character: a word is compared with the few that could be it (two addresses
  // per HR row, a dozen words each, 48 entries).
  static const auto kByFirst = [] {
    std::array<std::vector<std::uint8_t>, 128> index;
    for (std::size_t i = 0; i < std::size(kWords); ++i)
      index[static_cast<unsigned char>(kWords[i].first.front())].push_back(
          static_cast<std::uint8_t>(i));
    return index;
  }();
  const auto first = word.empty() ? 0u : static_cast<unsigned char>(word.front());
  if (first >= kByFirst.size()) return word;
  for (const std::uint8_t i : kByFirst[first]) {
    if (word == kWords[i].first) return kWords[i].second;
  }
  return word;
}

}  // namespace

std::string address_key(std::string_view address) {
  // The words are spans of one lower-cased copy, reused per thread: no string per word.
  thread_local std::string lowered;
  thread_local std::vector<std::pair<std::size_t, std::size_t>> spans;  // offset, size
  lowered.clear();
  spans.clear();
  std::size_t start = 0;
  bool in_word = false;
  const auto flush = [&] {
    if (in_word) spans.emplace_back(start, lowered.size() - start);
    in_word = false;
  };
  for (char c : address) {
    // Bytes >= 0x80 belong to UTF-8 letters ("Zürich"); keep them inside words.
    if (is_ascii_alnum(c) || static_cast<unsigned char>(c) >= 0x80) {
      if (!in_word) start = lowered.size();
      in_word = true;
      lowered.push_back(lower(c));
    } else if (c == '#') {
      // "#9" and "# 9" are a unit marker followed by its number.
      flush();
      spans.emplace_back(lowered.size(), 1);
      lowered.push_back('#');
    } else {
      flush();
    }
  }
  flush();
  const auto word = [&](std::size_t i) {
    return std::string_view(lowered).substr(spans[i].first, spans[i].second);
  };

  // A ZIP code is present in some exports and not others; drop it where it is unambiguous.
  std::size_t n = spans.size();
  if (n >= 3 && all_digits(word(n - 1), 4) && all_digits(word(n - 2), 5) &&
      two_letters(word(n - 3))) {
    n -= 2;
  } else if (n >= 2 && all_digits(word(n - 1), 5) && two_letters(word(n - 2))) {
    n -= 1;
  }

  std::string key;
  key.reserve(lowered.size() + n);
  std::string_view previous;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view canonical = canonical_word(word(i));
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

namespace {

// HMAC-SHA-256 under one key, the key's pads derived once. OpenSSL 3's one-shot HMAC() fetches the
// algorithm, allocates a context and hashes the key's two pads on every call: three quarters of
// the 2.5 us it took per ten-byte document number (once per HR row and column). Re-initialising
// a keyed context only restores the padded states.
class KeyedHmac {
 public:
  KeyedHmac() = default;
  KeyedHmac(const KeyedHmac&) = delete;
  KeyedHmac& operator=(const KeyedHmac&) = delete;
  ~KeyedHmac() { EVP_MAC_CTX_free(ctx_); }

  // false when OpenSSL refuses (no HMAC or SHA-256 in the loaded providers).
  bool mac(std::string_view key, std::string_view value, unsigned char* out, std::size_t& length) {
    static const unsigned char kEmpty = 0;
    if (ctx_ == nullptr || key != key_) {
      if (!rekey(key)) return false;
    } else if (!EVP_MAC_init(ctx_, nullptr, 0, nullptr)) {
      return false;
    }
    // EVP_MAC_update accepts a null data pointer only with length 0; an empty view may carry one.
    const auto* data =
        value.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(value.data());
    return EVP_MAC_update(ctx_, data, value.size()) &&
           EVP_MAC_final(ctx_, out, &length, EVP_MAX_MD_SIZE);
  }

 private:
  bool rekey(std::string_view key) {
    static EVP_MAC* const kHmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    static const unsigned char kEmpty = 0;
    if (kHmac == nullptr) return false;
    EVP_MAC_CTX_free(ctx_);
    key_.clear();
    ctx_ = EVP_MAC_CTX_new(kHmac);
    if (ctx_ == nullptr) return false;
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    // A null key means "keep the current one" to EVP_MAC_init; an empty key must be a real one.
    const auto* key_data =
        key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
    if (!EVP_MAC_init(ctx_, key_data, key.size(), params)) {
      EVP_MAC_CTX_free(ctx_);
      ctx_ = nullptr;
      return false;
    }
    key_.assign(key);
    return true;
  }

  EVP_MAC_CTX* ctx_ = nullptr;
  std::string key_;
};

}  // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view value) {
  // One per thread: mapping threads hash concurrently, and a run has one key.
  thread_local KeyedHmac keyed;
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  std::size_t length = 0;
  if (!keyed.mac(key, value, mac.data(), length)) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(length * 2, '\0');
  for (std::size_t i = 0; i < length; ++i) {
    hex[2 * i] = kHex[mac[i] >> 4];
    hex[2 * i + 1] = kHex[mac[i] & 0x0f];
  }
  return hex;
}

std::string document_hash(std::string_view key, std::string_view number) {
  const std::string normalized = document_number_key(number);
  if (normalized.empty()) return {};
  return hmac_sha256_hex(key, normalized);
}

}  // namespace vetter::model
