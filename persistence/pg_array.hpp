#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hb {

/// Builds a PostgreSQL array literal (`{1,2,3}`, `{"a","b"}`) element by element. Binding one
/// array and `unnest`ing it costs one round trip per batch; SOCI's vector binds cost one per row.
class pg_array_builder {
public:
  void add(std::int64_t value);
  void add(std::string_view text); ///< quoted and escaped
  std::string finish();

private:
  void separator();
  std::string text_ = "{";
};

} // namespace hb
