#include "crs_conformance/benign/text.h"

#include <cctype>
#include <cstdio>
#include <string_view>

namespace gatehouse::crs_conformance::benign {

using std::string_view;

std::string HumanText::FirstName() {
  static constexpr string_view kNames[] = {
      "Siobhan",   "Liam",   "Aoife",    "Zoë",  "José",      "Mary-Kate", "Chloé",
      "Oluwaseun", "Priya",  "Mohammed", "Anna", "James",     "Lucía",     "Björn",
      "Ngozi",     "Wei",    "Emily",    "Noah", "Fatima",    "Jean-Luc",  "Søren",
      "Amélie",    "Kwame",  "Hannah",   "Raúl", "Ines",      "D'Arcy",    "Tomás",
      "Grace",     "Oliver", "Yuki",     "Sean", "Ellie-Mae", "Dmitri",    "Ayşe"};
  return std::string(dice_.Pick(kNames));
}

std::string HumanText::LastName() {
  static constexpr string_view kNames[] = {
      "O'Brien",  "O'Connor",       "McDonald",     "D'Angelo",   "Smith",           "Nguyễn",
      "García",   "Müller",         "Van der Berg", "St. John",   "Okafor",          "Fitzgerald",
      "Kowalski", "Ó Súilleabháin", "Johnson",      "Patel",      "O'Neill",         "De la Cruz",
      "Lefèvre",  "Murphy",         "Andersson",    "Wójcik",     "Hernández-López", "Al-Sayed",
      "MacLeod",  "Brown",          "Kim",          "dos Santos", "Taylor",          "N'Diaye"};
  return std::string(dice_.Pick(kNames));
}

std::string HumanText::FullName() { return FirstName() + " " + LastName(); }

std::string HumanText::Email() {
  static constexpr string_view kDomains[] = {"gmail.com",       "outlook.com",    "example.ie",
                                             "yahoo.co.uk",     "proton.me",      "web.de",
                                             "company.example", "uni.example.edu"};
  std::string local;
  for (char c : FirstName()) {
    if (std::isalpha(static_cast<unsigned char>(c))) local += static_cast<char>(std::tolower(c));
  }
  if (local.empty()) local = "user";
  local += dice_.Chance(50) ? "." : "";
  for (char c : LastName()) {
    if (std::isalpha(static_cast<unsigned char>(c))) local += static_cast<char>(std::tolower(c));
  }
  if (dice_.Chance(20)) local += "+" + std::string(dice_.Chance(50) ? "shop" : "news");
  if (dice_.Chance(30)) local += dice_.Digits(2);
  return local + "@" + std::string(dice_.Pick(kDomains));
}

std::string HumanText::Phone() {
  switch (dice_.Below(4)) {
    case 0:
      return "+353 1 " + dice_.Digits(3) + " " + dice_.Digits(4);
    case 1:
      return "(" + dice_.Digits(3) + ") " + dice_.Digits(3) + "-" + dice_.Digits(4);
    case 2:
      return "+44 (0)20 " + dice_.Digits(4) + " " + dice_.Digits(4);
    default:
      return "0" + dice_.Digits(3) + "/" + dice_.Digits(7);
  }
}

std::string HumanText::StreetAddress() {
  static constexpr string_view kStreets[] = {
      "Rock'n'Roll Lane",    "Main St.",       "O'Connell Street",
      "Rue de l'Église",     "King's Road",    "Baker Street",
      "Elm Avenue, Apt. 4B", "Hauptstraße",    "St. Mary's Close",
      "1st Avenue",          "Calle Mayor",    "Queen's Gate (rear)",
      "Old Mill Rd",         "Lakeview Drive", "Via Roma"};
  std::string out = std::to_string(dice_.Between(1, 2400));
  if (dice_.Chance(15)) out += dice_.Chance(50) ? "a" : "/2";
  out += " " + std::string(dice_.Pick(kStreets));
  if (dice_.Chance(20)) out += ", Unit #" + std::to_string(dice_.Between(1, 40));
  return out;
}

std::string HumanText::City() {
  static constexpr string_view kCities[] = {
      "Dublin", "Cork",       "London",    "Manchester", "New York", "San Francisco",
      "Paris",  "Köln",       "São Paulo", "München",    "Lagos",    "Mumbai",
      "Kraków", "St. Albans", "Québec",    "Wexford",    "Zürich",   "Stratford-upon-Avon"};
  return std::string(dice_.Pick(kCities));
}

std::string HumanText::Postcode() {
  switch (dice_.Below(3)) {
    case 0:
      return "D0" + std::to_string(dice_.Between(1, 9)) + " " +
             dice_.Characters(1, "ACDEFHKNPRTVWXY") + dice_.Digits(2) +
             dice_.Characters(1, "ACDEFHKNPRTVWXY");
    case 1:
      return dice_.Digits(5);
    default:
      return "SW" + std::to_string(dice_.Between(1, 20)) + " " + dice_.Digits(1) +
             dice_.Characters(2, "ABDEFGHJLNPQRSTUWXYZ");
  }
}

std::string HumanText::CountryCode() {
  static constexpr string_view kCodes[] = {"IE", "GB", "US", "DE", "FR", "ES", "NG",
                                           "IN", "BR", "PL", "CA", "JP", "NL", "SE"};
  return std::string(dice_.Pick(kCodes));
}

std::string HumanText::Company() {
  static constexpr string_view kCompanies[] = {"Acme Ltd.",
                                               "O'Reilly & Sons",
                                               "Smith & Wesson Bakery",
                                               "Ben & Jerry's Fan Club",
                                               "Müller GmbH",
                                               "AT&T Store #42",
                                               "Procter & Gamble",
                                               "Marks & Spencer",
                                               "Tiny Tots (Cork) Ltd",
                                               "Joe's Garage",
                                               "Green Fields Co-op"};
  return std::string(dice_.Pick(kCompanies));
}

std::string HumanText::Price() {
  const std::string whole = std::to_string(dice_.Between(1, 2999));
  const std::string cents = dice_.Digits(2);
  switch (dice_.Below(4)) {
    case 0:
      return "$" + whole + "." + cents;
    case 1:
      return "€" + whole + "," + cents;
    case 2:
      return "£" + whole + "." + cents;
    default:
      return "$1," + dice_.Digits(3) + ".99";
  }
}

std::string HumanText::Amount() {
  return std::to_string(dice_.Between(0, 1999)) + "." + dice_.Digits(2);
}

std::string HumanText::Date() {
  char out[16];
  std::snprintf(out, sizeof(out), "%04d-%02d-%02d", dice_.Between(2019, 2026), dice_.Between(1, 12),
                dice_.Between(1, 28));
  return out;
}

std::string HumanText::IsoTimestamp() {
  char out[16];
  std::snprintf(out, sizeof(out), "T%02d:%02d:%02dZ", dice_.Below(24), dice_.Below(60),
                dice_.Below(60));
  return Date() + out;
}

std::string HumanText::ProductName() {
  static constexpr string_view kAdjectives[] = {
      "Men's",           "Women's", "Kids'",          "Waterproof", "Organic",
      "Stainless-steel", "Vintage", "12\" Non-stick", "2-in-1",     "Extra-large"};
  static constexpr string_view kThings[] = {"Running Shoes",
                                            "Rain Jacket",
                                            "Frying Pan",
                                            "Coffee Grinder",
                                            "Yoga Mat",
                                            "Phone Case (Black)",
                                            "Desk Lamp",
                                            "Backpack, 30L",
                                            "Wool Socks (3 pack)",
                                            "Cast-iron Skillet",
                                            "Bluetooth Speaker",
                                            "Picture Frame 8x10",
                                            "Tea Set"};
  return std::string(dice_.Pick(kAdjectives)) + " " + std::string(dice_.Pick(kThings));
}

std::string HumanText::Category() {
  static constexpr string_view kCategories[] = {
      "shoes", "outdoor", "kitchen", "home-garden",  "electronics",
      "books", "toys",    "sale",    "new-arrivals", "gifts-for-her"};
  return std::string(dice_.Pick(kCategories));
}

std::string HumanText::SearchQuery() {
  static constexpr string_view kQueries[] = {"women's running shoes size 8",
                                             "rock & roll t-shirt",
                                             "50% off winter coats",
                                             "\"red dress\" long sleeve",
                                             "how to clean a cast iron pan?",
                                             "c++ tutorial for beginners",
                                             "best pizza near me",
                                             "iphone 15 case",
                                             "O'Brien's sandwich bar",
                                             "what is 2+2",
                                             "tickets dublin -> london",
                                             "kids' shoes (velcro)",
                                             "gift ideas for dad",
                                             "macbook pro 14\" 2023",
                                             "weather cork tomorrow",
                                             "recipe: lemon drizzle cake",
                                             "café au lait",
                                             "#1 bestseller",
                                             "size 10.5 wide",
                                             "jobs in berlin, remote ok",
                                             "Ben & Jerry's cookie dough",
                                             "cheap flights to New York",
                                             "python list comprehension",
                                             "return policy",
                                             "track my order",
                                             "how long does shipping take to Ireland?"};
  return std::string(dice_.Pick(kQueries));
}

std::string HumanText::Sentence() {
  static constexpr string_view kOpenings[] = {"I ordered",
                                              "We've been using",
                                              "My daughter loves",
                                              "Honestly,",
                                              "Just a quick note:",
                                              "Hi there,",
                                              "Thanks so much for",
                                              "Unfortunately",
                                              "I'd like to ask about",
                                              "Could you please check",
                                              "Five stars for",
                                              "As mentioned before,",
                                              "Great service from",
                                              "Not sure if this is the right place, but",
                                              "It's the second time I've bought"};
  static constexpr string_view kMiddles[] = {"the blue one (size M)",
                                             "this for about 3 weeks",
                                             "the delivery on Tuesday",
                                             "my order #48213",
                                             "the 2-pack you sent",
                                             "the café on Main St.",
                                             "everything in the box",
                                             "the new \"eco\" packaging",
                                             "a refund of about €20",
                                             "your team at the Cork store",
                                             "the 50% discount code",
                                             "the item I returned",
                                             "the instructions - page 4",
                                             "the jacket: it's lovely",
                                             "both parcels"};
  static constexpr string_view kEndings[] = {"and it arrived on time.",
                                             "but the zip broke after a week :(",
                                             "- would recommend!",
                                             "so thanks again.",
                                             "; is that normal?",
                                             "& I'm very happy with it.",
                                             "as you suggested.",
                                             "... will order again!",
                                             "but it doesn't fit. Can I swap it?",
                                             "(see attached photo).",
                                             "which was great.",
                                             "at 9:30am.",
                                             "even though it was raining.",
                                             "- cheers, and have a nice day!",
                                             "if that's OK with you?"};
  return std::string(dice_.Pick(kOpenings)) + " " + std::string(dice_.Pick(kMiddles)) + " " +
         std::string(dice_.Pick(kEndings));
}

std::string HumanText::Paragraph(int sentences) {
  std::string out;
  for (int i = 0; i < sentences; ++i) {
    if (i > 0) out += dice_.Chance(15) ? "\n\n" : " ";
    out += Sentence();
  }
  return out;
}

std::string HumanText::ShortMessage() {
  static constexpr string_view kMessages[] = {"Question about my order",
                                              "Where's my parcel?",
                                              "Great product!!",
                                              "Love it <3",
                                              "Not as described",
                                              "Re: your invoice (March)",
                                              "Sizing - runs small",
                                              "Can't log in :-(",
                                              "Thanks, Siobhan!",
                                              "10/10 would buy again",
                                              "ok",
                                              "See you @ 5pm?",
                                              "Meeting moved to Thu 3pm",
                                              "Happy birthday, Mam! x",
                                              "Is this dishwasher-safe?",
                                              "Order #A-1029 - missing item"};
  return std::string(dice_.Pick(kMessages));
}

std::string HumanText::Password() {
  // What password managers and people choose: letters, digits and symbols.
  static constexpr string_view kSymbols = "!@#$%^&*()-_=+[]{}?.,~";
  std::string out = dice_.Alphanumeric(dice_.Between(8, 16));
  for (int i = dice_.Below(4); i > 0; --i) {
    out.insert(out.begin() + dice_.Below(static_cast<int>(out.size())),
               kSymbols[dice_.Below(static_cast<int>(kSymbols.size()))]);
  }
  return out;
}

std::string HumanText::Slug() {
  static constexpr string_view kWords[] = {"how",   "to",      "choose", "the",  "best",
                                           "shoes", "winter",  "guide",  "2024", "tips",
                                           "easy",  "recipes", "for",    "your", "garden"};
  std::string out;
  for (int i = dice_.Between(2, 6); i > 0; --i) {
    if (!out.empty()) out += "-";
    out += dice_.Pick(kWords);
  }
  return out;
}

std::string HumanText::Tag() {
  static constexpr string_view kTags[] = {
      "summer", "sale", "gift", "eco-friendly", "bestseller", "limited edition", "kids", "outdoor"};
  return std::string(dice_.Pick(kTags));
}

std::string HumanText::Uuid() {
  return dice_.Hex(8) + "-" + dice_.Hex(4) + "-4" + dice_.Hex(3) + "-" +
         dice_.Characters(1, "89ab") + dice_.Hex(3) + "-" + dice_.Hex(12);
}

}  // namespace gatehouse::crs_conformance::benign
