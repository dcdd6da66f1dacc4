#include "alerts/curl_handle.hpp"

#include <stdexcept>

namespace hb::alerts {

void ensure_curl_initialized() {
  // A function-local static runs its initialiser exactly once, even with concurrent callers;
  // curl_global_init itself is not thread-safe before 7.84 and must not run twice.
  static const CURLcode init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (init_result != CURLE_OK)
    throw std::runtime_error(std::string{"libcurl initialisation failed: "} +
                             curl_easy_strerror(init_result));
}

curl_easy_ptr make_curl_easy() {
  ensure_curl_initialized();
  curl_easy_ptr handle{curl_easy_init()};
  if (!handle)
    throw std::runtime_error("curl_easy_init failed");
  return handle;
}

curl_slist_ptr make_curl_slist(const std::vector<std::string>& items) {
  curl_slist_ptr list;
  for (const auto& item : items) {
    auto* appended = curl_slist_append(list.get(), item.c_str());
    if (appended == nullptr)
      throw std::runtime_error("curl_slist_append failed");
    static_cast<void>(list.release()); // `appended` now owns the old head
    list.reset(appended);
  }
  return list;
}

std::string curl_error_text(CURLcode code, const char* error_buffer) {
  if (error_buffer != nullptr && error_buffer[0] != '\0') {
    std::string text{error_buffer};
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
      text.pop_back();
    return text;
  }
  return curl_easy_strerror(code);
}

} // namespace hb::alerts
