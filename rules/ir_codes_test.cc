#include "rules/ir_codes.h"

#include "gtest/gtest.h"
#include "rules/strings.h"

namespace gatehouse::rules {
namespace {

// The IR names fields by number; the proto's enum names say which field each number is. A new
// FieldId appended without its IR value, or fields reordered, fails here.
TEST(IrCodesTest, FieldNumbersFollowTheScheme) {
  for (const FieldDefinition& field : AllFields()) {
    std::string expected = "FIELD_" + ToUpper(field.name);
    for (char& c : expected) c = c == '.' ? '_' : c;
    ir::v1::Field encoded = ir_codes::EncodeField(field.id);
    EXPECT_EQ(ir::v1::Field_Name(encoded), expected) << field.name;
    EXPECT_EQ(ir_codes::DecodeField(encoded), field.id) << field.name;
  }
  EXPECT_EQ(ir::v1::Field_ARRAYSIZE, kFieldCount + 1);
  EXPECT_FALSE(ir_codes::DecodeField(0).has_value());
  EXPECT_FALSE(ir_codes::DecodeField(kFieldCount + 1).has_value());
}

TEST(IrCodesTest, TypesRoundTrip) {
  for (const Type& type : {Type::Bool(), Type::Int(), Type::Bytes(), Type::Ip(),
                           Type::Array(Type::Bytes()), Type::Map(Type::Array(Type::Bytes()))}) {
    google::protobuf::RepeatedField<int> steps;
    ir_codes::EncodeType(type, &steps);
    std::optional<Type> decoded = ir_codes::DecodeType(steps);
    ASSERT_TRUE(decoded.has_value()) << type.ToString();
    EXPECT_EQ(*decoded, type);
  }
}

TEST(IrCodesTest, AddressesKeepHowTheyWereWritten) {
  IpAddress v4 = *ParseIpAddress("192.0.2.1");
  IpAddress mapped = *ParseIpAddress("::ffff:192.0.2.1");
  EXPECT_EQ(ir_codes::EncodeIp(v4).size(), 4u);
  EXPECT_EQ(ir_codes::EncodeIp(mapped).size(), 16u);
  EXPECT_EQ(*ir_codes::DecodeIp(ir_codes::EncodeIp(v4)), v4);
  EXPECT_EQ(*ir_codes::DecodeIp(ir_codes::EncodeIp(mapped)), mapped);
}

}  // namespace
}  // namespace gatehouse::rules
