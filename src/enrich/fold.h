// Folding of place names for lookup: "Côte d’Ivoire", "COTE D'IVOIRE" and "Cote dIvoire" meet.
#pragma once

#include <string>
#include <string_view>

namespace vetter::enrich {

// Lower-case ASCII words joined by single spaces. Latin letters with accents lose them (é -> e,
// ß -> ss, Æ -> ae, Ł -> l, also when written decomposed with combining marks); apostrophes are
// dropped inside a word ("People's" -> "peoples"); every other punctuation or space separates
// words; "&" becomes the word "and". Letters of other scripts are kept as they are (UTF-8), so a
// Cyrillic or Hangul name still folds to itself. Invalid UTF-8 bytes are dropped.
std::string fold_name(std::string_view text);

}  // namespace vetter::enrich
