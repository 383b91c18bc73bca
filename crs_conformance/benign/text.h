#pragma once

#include <string>

#include "crs_conformance/benign/dice.h"

namespace gatehouse::crs_conformance::benign {

// What people type into web forms: names (O'Brien, Zoë, José), addresses, phone numbers,
// prices, dates, product names, search queries, and free text with ordinary punctuation
// (apostrophes, quotes, parentheses, dashes, ampersands, percent signs, question marks).
class HumanText {
 public:
  explicit HumanText(Dice& dice) : dice_(dice) {}

  std::string FirstName();
  std::string LastName();
  std::string FullName();
  std::string Email();
  std::string Phone();
  std::string StreetAddress();
  std::string City();
  std::string Postcode();
  std::string CountryCode();
  std::string Company();
  // "$1,299.99", "€45,00", "12.50"...
  std::string Price();
  std::string Amount();  // a plain decimal for JSON: "129.95"
  std::string Date();
  std::string IsoTimestamp();
  std::string ProductName();
  std::string Category();
  std::string SearchQuery();
  // One sentence of free text; Paragraph joins several.
  std::string Sentence();
  std::string Paragraph(int sentences);
  // A chat message, a review title, a subject line.
  std::string ShortMessage();
  std::string Password();
  std::string Slug();
  std::string Tag();
  std::string Uuid();

 private:
  Dice& dice_;
};

}  // namespace gatehouse::crs_conformance::benign
