#include "config/settings.hpp"

#include "config/setting_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <thread>

namespace hb {

namespace {

constexpr std::string_view commands_help =
    "Commands:\n"
    "  (none)                start the server\n"
    "  rotate-admin-token    generate a new admin API token, print it once and exit\n"
    "  set-admin-password    store a new web UI password read from standard input (one line);\n"
    "                        with empty input, generate one and print it once\n";

const setting_spec* find_flag(std::string_view flag) {
  for (const auto& spec : setting_specs())
    if (spec.flag == flag)
      return &spec;
  return nullptr;
}

void apply_one(settings& s, const setting_spec& spec, const std::string& value, bool from_flag) {
  const auto source = from_flag ? fmt::format("--{}", spec.flag) : std::string{spec.env};
  const auto shown = spec.secret         ? std::string{"(hidden)"}
                     : spec.has_password ? fmt::format("'{}'", mask_password(value))
                                         : fmt::format("'{}'", value);
  try {
    if (spec.apply(s, value))
      return;
    throw settings_error{fmt::format("invalid {}={}: expected {}", source, shown, spec.allowed)};
  } catch (const std::invalid_argument& e) {
    throw settings_error{fmt::format("invalid {}={}: {}", source, shown, e.what())};
  }
}

} // namespace

std::string settings::effective_public_url() const {
  if (!public_url.empty())
    return public_url;
  const bool ipv6 = listen_host.find(':') != std::string::npos;
  return ipv6 ? fmt::format("http://[{}]:{}", listen_host, listen_port)
              : fmt::format("http://{}:{}", listen_host, listen_port);
}

env_lookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    if (const char* value = std::getenv(name.c_str()))
      return std::string{value};
    return std::nullopt;
  };
}

command_line load_settings(const env_lookup& env, const std::vector<std::string>& args) {
  command_line result;
  // Defaults first, then the environment, then flags: later sources override earlier ones.
  std::map<const setting_spec*, std::pair<std::string, bool>> chosen;
  for (const auto& spec : setting_specs()) {
    if (auto value = env(std::string{spec.env}))
      chosen[&spec] = {*value, false};
    else if (!spec.fallback.empty())
      chosen[&spec] = {std::string{spec.fallback}, false};
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      result.what = command_line::action::help;
      return result;
    }
    if (arg == "--version" || arg == "-V") {
      result.what = command_line::action::version;
      return result;
    }
    if (!arg.starts_with("--")) {
      if (result.what == command_line::action::command)
        throw settings_error{fmt::format("unexpected argument '{}' (see --help)", arg)};
      if (arg != "rotate-admin-token" && arg != "set-admin-password")
        throw settings_error{fmt::format("unknown command '{}' (see --help)", arg)};
      result.what = command_line::action::command;
      result.command = arg;
      continue;
    }
    auto name = std::string_view{arg}.substr(2);
    std::string value;
    if (auto eq = name.find('='); eq != std::string_view::npos) {
      value = std::string{name.substr(eq + 1)};
      name = name.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      throw settings_error{fmt::format("--{} needs a value (see --help)", name)};
    }
    const auto* spec = find_flag(name);
    if (spec == nullptr)
      throw settings_error{fmt::format("unknown option --{} (see --help)", name)};
    chosen[spec] = {value, true};
  }
  for (const auto& spec : setting_specs())
    if (auto it = chosen.find(&spec); it != chosen.end())
      apply_one(result.config, spec, it->second.first, it->second.second);
  if (result.config.actor_threads == 0) // leave cores to the HTTP threads and the database
    result.config.actor_threads = std::max(1u, std::thread::hardware_concurrency() / 2);
  return result;
}

std::string help_text() {
  std::string text = fmt::format("heartbeatd {} - heartbeat (dead man's switch) monitor\n\n"
                                 "Usage: heartbeatd [COMMAND] [--FLAG VALUE]...\n\n{}\n"
                                 "Settings (environment variable, or the flag, which wins):\n",
                                 HEARTBEATD_VERSION, commands_help);
  for (const auto& spec : setting_specs()) {
    text += fmt::format("  {:<36} --{}\n      {}\n      allowed: {}; default: {}\n", spec.env,
                        spec.flag, spec.help, spec.allowed,
                        spec.fallback.empty() ? std::string_view{"(unset)"} : spec.fallback);
  }
  text += "\nOther flags:\n  --help, -h      this text\n  --version, -V   print the version\n";
  return text;
}

} // namespace hb
