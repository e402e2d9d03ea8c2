// Place-name folding: accents, case, apostrophes and punctuation, so exports and data files agree.
#include "fold.h"

#include <cstdint>

namespace vetter::enrich {
namespace {

// ASCII stand-ins for U+00C0..U+00FF and U+0100..U+017F. '?' marks the few that need two letters
// (handled in two_letter()); ' ' marks the multiplication and division signs, which separate.
constexpr std::string_view kLatin1 =
    "aaaaaa?ceeeeiiiidnooooo ouuuuy??aaaaaa?ceeeeiiiidnooooo ouuuuy?y";
constexpr std::string_view kLatinExtendedA =
    "aaaaaaccccccccdd"
    "ddeeeeeeeeeegggg"
    "gggghhhhiiiiiiii"
    "ii??jjkkklllllll"
    "lllnnnnnnnnnoooo"
    "oo??rrrrrrssssss"
    "ssttttttuuuuuuuu"
    "uuuuwwyyyzzzzzzs";

std::string_view two_letter(char32_t cp) {
  switch (cp) {
    case 0xC6:
    case 0xE6:
      return "ae";
    case 0xDE:
    case 0xFE:
      return "th";
    case 0xDF:
      return "ss";
    case 0x132:
    case 0x133:
      return "ij";
    case 0x152:
    case 0x153:
      return "oe";
    default:
      return {};
  }
}

// Decodes one UTF-8 sequence at `i`; returns its length (0 for an invalid sequence).
std::size_t decode(std::string_view s, std::size_t i, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = b0 < 0x80           ? 1
                    : (b0 >> 5) == 0x6  ? 2
                    : (b0 >> 4) == 0xE  ? 3
                    : (b0 >> 3) == 0x1E ? 4
                                        : 0;
  if (len == 0 || i + len > s.size()) return 0;
  cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  return len;
}

}  // namespace

std::string fold_name(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  auto put = [&](std::string_view letters) {
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    out.append(letters);
  };
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const std::size_t len = decode(text, i, cp);
    if (len == 0) {
      ++i;  // a stray byte: drop it
      continue;
    }
    const std::string_view raw = text.substr(i, len);
    i += len;
    if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
      put(raw);
    } else if (cp >= 'A' && cp <= 'Z') {
      const char c = static_cast<char>(cp - 'A' + 'a');
      put(std::string_view(&c, 1));
    } else if (cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == '`') {
      continue;  // apostrophes join: "People's" and "Peoples" are one word
    } else if (cp >= 0x0300 && cp <= 0x036F) {
      continue;  // combining accents of a decomposed letter
    } else if (cp == '&') {
      pending_space = true;
      put("and");
      pending_space = true;
    } else if (cp >= 0xC0 && cp <= 0x17F) {
      const char c = cp <= 0xFF ? kLatin1[cp - 0xC0] : kLatinExtendedA[cp - 0x100];
      if (c == ' ') {
        pending_space = true;
      } else if (c == '?') {
        put(two_letter(cp));
      } else {
        put(std::string_view(&c, 1));
      }
    } else if (cp < 0x80 || (cp >= 0x80 && cp <= 0xBF) || (cp >= 0x2000 && cp <= 0x206F) ||
               cp == 0x3000) {
      pending_space = true;  // ASCII punctuation, Latin-1 symbols, general punctuation, spaces
    } else {
      put(raw);  // another script's letter
    }
  }
  return out;
}

}  // namespace vetter::enrich
