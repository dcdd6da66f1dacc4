#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>
#include <vector>

namespace hb::alerts {

/// Initialises libcurl once per process (thread-safe); every user of libcurl calls it first.
void ensure_curl_initialized();

struct curl_easy_deleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};

/// One libcurl easy handle. It keeps its connection cache between transfers, so a channel that
/// holds one keeps its connection to the receiver alive.
using curl_easy_ptr = std::unique_ptr<CURL, curl_easy_deleter>;

/// A new easy handle (after ensure_curl_initialized()); throws std::runtime_error on failure.
curl_easy_ptr make_curl_easy();

struct curl_slist_deleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

/// A libcurl string list (request headers, mail recipients), freed on destruction.
using curl_slist_ptr = std::unique_ptr<curl_slist, curl_slist_deleter>;

/// A string list holding `items`; throws std::runtime_error if libcurl runs out of memory.
curl_slist_ptr make_curl_slist(const std::vector<std::string>& items);

/// What libcurl said about a failed transfer: the error buffer if it has text, else the generic
/// text of `code`.
std::string curl_error_text(CURLcode code, const char* error_buffer);

} // namespace hb::alerts
