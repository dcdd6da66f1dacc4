#include "actors/system_config.hpp"

#include "actors/messages.hpp"

namespace hb {

namespace {

/// The detail an error carries, or the name of its code.
std::string describe(errc code, const caf::message& context) {
  if (context.match_elements<std::string>())
    return context.get_as<std::string>(0);
  return to_string(code);
}

} // namespace

system_config::system_config(std::size_t scheduler_threads) {
  set("scheduler.max-threads", scheduler_threads);
  add_error_category(hb_error_category,
                     [](std::uint8_t code, caf::atom_value, const caf::message& context) {
                       return describe(static_cast<errc>(code), context);
                     });
}

std::string error_text(const caf::error& err) {
  if (!err)
    return "no error"; // CAF 0.17: category() of an empty error dereferences null
  if (err.category() == hb_error_category)
    return describe(static_cast<errc>(err.code()), err.context());
  return caf::to_string(err);
}

} // namespace hb
