#pragma once

#include <optional>
#include <string_view>

/// The web UI's files as they were at build time (cmake/embed_files.cmake generates the
/// definitions), so that heartbeatd serves its UI from any directory with nothing beside it.
namespace hb::web {

/// templates/web/<name>.mustache
std::optional<std::string_view> embedded_template(std::string_view name);

/// static/<name>, e.g. "app.css"
std::optional<std::string_view> embedded_asset(std::string_view name);

} // namespace hb::web
