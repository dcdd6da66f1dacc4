#include "alerts/sms_channel.hpp"

#include "alerts/message.hpp"
#include "alerts/target_checks.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace hb::alerts {

namespace {

constexpr const char* no_provider_problem = "SMS alerts need HEARTBEATD_SMS_ACCOUNT_SID";

// application/x-www-form-urlencoded value; curl_easy_escape encodes all but unreserved bytes.
// libcurl ignores the handle argument since 7.82.
std::string form_escape(const std::string& value) {
  ensure_curl_initialized();
  char* escaped = curl_easy_escape(nullptr, value.data(), static_cast<int>(value.size()));
  if (escaped == nullptr)
    throw std::runtime_error("curl_easy_escape failed");
  std::string out{escaped};
  curl_free(escaped);
  return out;
}

std::string messages_url(const sms_settings& sms) {
  auto base = sms.base_url;
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  return fmt::format("{}/2010-04-01/Accounts/{}/Messages.json", base, form_escape(sms.account_sid));
}

} // namespace

sms_channel::sms_channel(const channel_settings& settings)
    : sms_{settings.sms}, http_{settings.timeout} {}

std::optional<std::string> sms_channel::target_problem(std::string_view target,
                                                       const channel_settings& settings) {
  if (settings.sms.account_sid.empty())
    return no_provider_problem;
  return e164_problem(target);
}

delivery_result sms_channel::notify(const notification& n) {
  if (sms_.account_sid.empty())
    return delivery_error{no_provider_problem, true, std::nullopt};
  const auto body = fmt::format("To={}&From={}&Body={}", form_escape(n.target),
                                form_escape(sms_.from), form_escape(render_sms(n)));
  return http_.post({.url = messages_url(sms_),
                     .headers = notification_headers(n, "application/x-www-form-urlencoded"),
                     .body = body,
                     .basic_auth_user = sms_.account_sid,
                     .basic_auth_password = sms_.auth_token});
}

} // namespace hb::alerts
