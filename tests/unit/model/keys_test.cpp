// Comparison keys: one key per real-world address/phone/e-mail/document, and benign near-misses
// (neighbours, the next unit, a different number) kept apart.
#include <catch2/catch.hpp>

#include "vetter/model/keys.h"

using namespace vetter::model;

TEST_CASE("address spellings of one place give one key") {
  const std::string key = address_key("4410 Industrial Pkwy Unit 9, Denver, CO");
  CHECK(key == "4410 industrial pkwy unit 9 denver co");
  CHECK(address_key("4410 Industrial Parkway #9, Denver, CO") == key);
  CHECK(address_key("4410 INDUSTRIAL PKWY UNIT 9 DENVER CO") == key);
  CHECK(address_key("4410 Industrial Pkwy. Suite 9 Denver CO") == key);
  CHECK(address_key("  4410  industrial  pkwy, unit #9,\tDenver,  CO  ") == key);
  CHECK(address_key("4410 Industrial Pkwy Ste 9, Denver, CO 80216") == key);
  CHECK(address_key("4410 Industrial Pkwy Apt 9, Denver, CO 80216-1234") == key);

  CHECK(address_key("12 W Oak St Apt 3") == address_key("12 West Oak Street, Apartment 3"));
  CHECK(address_key("12 W Oak St Apt 3") == "12 w oak st unit 3");
  CHECK(address_key("500 N. Main Rd.") == address_key("500 North Main Road"));
  CHECK(address_key("7 E Elm Ave") == address_key("7 East Elm Avenue"));
  CHECK(address_key("9 S Pine Blvd") == address_key("9 South Pine Boulevard"));
  CHECK(address_key("3 Lake Dr") == address_key("3 Lake Drive"));
  CHECK(address_key("3 Lake Ln") == address_key("3 Lake Lane"));
  CHECK(address_key("3 Lake Ct") == address_key("3 Lake Court"));
  CHECK(address_key("240 Maple St, Austin, TX") == address_key("240 MAPLE STREET AUSTIN TX 78701"));
}

TEST_CASE("neighbouring addresses stay apart") {
  CHECK(address_key("12 W Oak St Apt 3") != address_key("12 W Oak St Apt 4"));
  CHECK(address_key("12 W Oak St Apt 3") != address_key("12 W Oak St"));
  CHECK(address_key("12 W Oak St") != address_key("12 E Oak St"));
  CHECK(address_key("12 W Oak St") != address_key("14 W Oak St"));
  CHECK(address_key("12 Oak St") != address_key("12 Oak Ave"));
  CHECK(address_key("12 Oak St, Austin, TX") != address_key("12 Oak St, Dallas, TX"));
  CHECK(address_key("4410 Industrial Pkwy Unit 9") != address_key("4410 Industrial Pkwy Unit 19"));
  // A five-digit house number is not a ZIP code: only one after a state is dropped.
  CHECK(address_key("12345 Ranch Rd") != address_key("Ranch Rd"));
  CHECK(address_key("Unit 12345") == "unit 12345");
  // Non-ASCII letters stay part of the word.
  CHECK(address_key("Bahnhofstraße 1, Zürich") == "bahnhofstraße 1 zürich");
  CHECK(address_key("Bahnhofstraße 1, Zürich") != address_key("Bahnhofstrasse 1, Zurich"));
  CHECK(address_key("").empty());
  CHECK(address_key(" ,.; ").empty());
}

TEST_CASE("phones become E.164") {
  CHECK(phone_e164("(555) 010-0100") == "+15550100100");
  CHECK(phone_e164("555.010.0100") == "+15550100100");
  CHECK(phone_e164("1-555-010-0100") == "+15550100100");
  CHECK(phone_e164("+1 555 010 0100") == "+15550100100");
  CHECK(phone_e164("001 555 010 0100") == "+15550100100");
  CHECK(phone_e164("011 44 20 7946 0018") == "+442079460018");
  CHECK(phone_e164("+44 (0)20 7946 0018") == "+442079460018");  // the "(0)" trunk hint goes
  CHECK(phone_e164("+44 20 7946 0018") == "+442079460018");
  CHECK(phone_e164("(555) 010-0100 x23") == "+15550100100");
  CHECK(phone_e164("555-010-0100 ext. 23") == "+15550100100");
  CHECK(phone_e164("+15550100100;ext=23") == "+15550100100");
  // Too short for North America, but in international form it is kept as written (documented).
  CHECK(phone_e164("+1 555-0100") == "+15550100");
  CHECK(phone_e164("+1 555 0101") != phone_e164("+1 555 0100"));
  // Another default country: the trunk zero goes.
  CHECK(phone_e164("020 7946 0018", "44") == "+442079460018");
  CHECK(phone_e164("0151 1234567", "49") == "+491511234567");
}

TEST_CASE("invalid phones are empty") {
  CHECK(phone_e164("").empty());
  CHECK(phone_e164("555-0100").empty());  // seven digits: no area code
  CHECK(phone_e164("1-800-FLOWERS").empty());
  CHECK(phone_e164("+1 555 010 0100 + 2").empty());
  CHECK(phone_e164("+123").empty());
  CHECK(phone_e164("+1234567890123456").empty());  // 16 digits
  CHECK(phone_e164("n/a").empty());
  CHECK(phone_e164("22345678901").empty());  // 11 digits not starting with 1
  CHECK(phone_e164("020 7946 0018", "4x").empty());
}

TEST_CASE("personal e-mails") {
  CHECK(email_key("  Jane.Doe@Example.COM ") == "jane.doe@example.com");
  // No provider rewriting: dots and tags are different keys (documented).
  CHECK(email_key("jane.doe@gmail.com") != email_key("janedoe@gmail.com"));
  CHECK(email_key("jane+jobs@gmail.com") != email_key("jane@gmail.com"));
  CHECK(email_key("jane@example.com") != email_key("jane@example.co"));
  CHECK(email_key("").empty());
  CHECK(email_key("jane").empty());
  CHECK(email_key("@example.com").empty());
  CHECK(email_key("jane@").empty());
  CHECK(email_key("jane doe@example.com").empty());
  CHECK(email_key("a@b@c").empty());
}

TEST_CASE("document numbers") {
  CHECK(document_number_key("ab-123 456.7") == "AB1234567");
  CHECK(document_number_key("AB1234567") == "AB1234567");
  CHECK(document_number_key(" X 12/34 ") == "X12/34");
  CHECK(document_number_key("AB1234567") != document_number_key("AB1234568"));
  CHECK(document_number_key(" - . ").empty());
}

TEST_CASE("HMAC-SHA-256") {
  // RFC 4231 test cases 1 and 2.
  CHECK(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There") ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(hmac_sha256_hex("", "").size() == 64);
  CHECK(hmac_sha256_hex("k1", "AB1") != hmac_sha256_hex("k2", "AB1"));

  // Python's hmac module gives the same; a key longer than SHA-256's block is hashed first.
  CHECK(hmac_sha256_hex("", "") ==
        "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  CHECK(hmac_sha256_hex(std::string(100, 'k'), "AB123") ==
        "63035b80c15a237f38f9b4e8fc3bb1e47726e02feefaf45b35ccd78119b96432");
  CHECK(document_hash("k", "ab-123") == hmac_sha256_hex("k", "AB123"));
  CHECK(document_hash("k", "AB 123") == document_hash("k", "ab.123"));
  CHECK(document_hash("k", "AB 123") != document_hash("k", "AB 124"));
  CHECK(document_hash("k", "  ").empty());
  CHECK(document_hash("k", "AB123").find("AB123") == std::string::npos);
}

TEST_CASE("HMAC-SHA-256: a keyed context is reused per key, never across keys") {
  // The key's pads are derived once per thread and key; switching keys (a key that is a prefix of
  // the other, the empty key) must rekey every time.
  const std::string k = "7b9c83630c3569e2a7f93ac21cdd917188bca60ec9a90de9235c2d460c0f8dfd";
  const std::string empty = "c335d807bd3d4b5a20927a0ede2b20c70a61a3878a0614ea65a002b80670c30a";
  for (int round = 0; round < 3; ++round) {
    CHECK(hmac_sha256_hex("k", "AB123") == k);
    CHECK(hmac_sha256_hex("k", "AB123") == k);
    CHECK(hmac_sha256_hex("", "AB123") == empty);
    CHECK(hmac_sha256_hex("kk", "AB123") != k);
    CHECK(hmac_sha256_hex("k", "AB123") == k);
    CHECK(hmac_sha256_hex(std::string_view("kX", 1), "AB123") == k);
  }
}
