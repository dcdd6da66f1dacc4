#pragma once

#include <optional>
#include <string_view>

namespace hb::alerts {

/// The text of `templates/alerts/<name>.mustache` as it was at build time, or nothing if there is
/// no such template. Defined by a source file that alerts/sources.cmake generates.
std::optional<std::string_view> embedded_template(std::string_view name);

} // namespace hb::alerts
