#include "actors/system_config.hpp"

#include "actors/messages.hpp"

namespace hb {

system_config::system_config(std::size_t scheduler_threads) {
  set("scheduler.max-threads", scheduler_threads);
  add_error_category(hb_error_category, [](std::uint8_t code, caf::atom_value,
                                           const caf::message& context) {
    auto text = to_string(static_cast<errc>(code));
    if (context.match_elements<std::string>())
      text += ": " + context.get_as<std::string>(0);
    return text;
  });
}

std::string error_text(const caf::error& err) {
  if (!err)
    return "no error"; // CAF 0.17: category() of an empty error dereferences null
  if (err.category() == hb_error_category) {
    const auto& ctx = err.context();
    if (ctx.match_elements<std::string>())
      return ctx.get_as<std::string>(0);
    return to_string(static_cast<errc>(err.code()));
  }
  return caf::to_string(err);
}

} // namespace hb
