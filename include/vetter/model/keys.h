// Normalized comparison keys for HR data (addresses, phones, e-mails, document numbers) and the
// keyed hash that keeps identity numbers out of reports.
#pragma once

#include <string>
#include <string_view>

namespace vetter::model {

// Address key: two spellings of one address give one key, two addresses give two.
//  - ASCII letters are lower-cased; every character that is not a letter, a digit or a byte of a
//    UTF-8 sequence separates words (so "Pkwy.", "Pkwy," and "PKWY" are one word); words are
//    joined by single spaces.
//  - Unit designators `apt, apartment, unit, #, suite, ste, room, rm` become "unit", and repeats
//    ("Unit #9") collapse to one; the unit number that follows is kept, so "Apt 3" and "Apt 4"
//    stay different keys.
//  - Street types (`street/st, avenue/ave/av, road/rd, boulevard/blvd, drive/dr, parkway/pkwy/pky,
//    lane/ln, court/ct, place/pl, terrace/ter, circle/cir, highway/hwy, square/sq, trail/trl,
//    center/ctr, crossing/xing, expressway/expy, freeway/fwy, saint/st`) and directions
//    (`north/n, south/s, east/e, west/w, northeast/ne, ...`) become their USPS abbreviation.
//  - A trailing US ZIP code (5 digits, optionally +4) right after a two-letter state is dropped,
//    because exports differ in whether they carry it.
// Not normalized: state and country names versus codes ("Colorado" vs "CO"), ordinals ("1st" vs
// "First"), PO boxes. Empty when the input has no words.
std::string address_key(std::string_view address);

// Phone number in E.164 ("+15550100100"), or empty when it cannot be one.
//  - Spaces, dots, dashes, slashes and brackets are ignored, as is a "(0)" trunk hint; an extension
//  ("x12", "ext. 12",
//    ";ext=12") is dropped. Any other character (letters of a vanity number) makes it invalid.
//  - International form: a leading "+" or "00" (and "011" when the default country is +1)
//    followed by 8-15 digits in all is kept as given. There is no per-country numbering plan, so
//    "+1 555 0100" (too short for North America) is still accepted as "+15550100": the key is for
//    equality, and two people writing the same malformed number is worth seeing.
//  - National form, `default_calling_code` "1" (North America, the default): 10 digits, or 11
//    starting with "1", become "+1" and the 10 digits; the exchange is not checked, so fictional
//    "(555) 010-0100" is "+15550100100". Other calling codes: one leading trunk "0" is dropped and
//    the code prefixed; the result must have 8-15 digits.
std::string phone_e164(std::string_view phone, std::string_view default_calling_code = "1");

// Personal e-mail key: trimmed and lower-cased (local part too: providers treat it
// case-insensitively in practice). No provider-specific rewriting: Gmail dots and "+tag" suffixes
// are kept, because stripping them would merge addresses of other providers that are distinct.
// Empty when the text is not one address (no "@", empty local part or domain, inner spaces).
std::string email_key(std::string_view email);

// Identity-document or account number: upper-cased, with spaces, tabs, dashes and dots removed
// ("ab-123 456.7" -> "AB1234567"). Other characters are kept. Empty when nothing is left.
// Hash the result with hmac_sha256_hex before it leaves the process (see document_hash).
std::string document_number_key(std::string_view number);

// HMAC-SHA-256 of `value` under `key` as 64 lower-case hex digits (OpenSSL libcrypto).
std::string hmac_sha256_hex(std::string_view key, std::string_view value);

// hmac_sha256_hex(key, document_number_key(number)), or empty when the number normalizes to
// nothing (an empty cell must not become a hash that every empty cell shares).
std::string document_hash(std::string_view key, std::string_view number);

}  // namespace vetter::model
