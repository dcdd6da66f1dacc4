// The dashboard: every application at a glance, and the JSON its live refresh polls.

#include "http/api_support.hpp"
#include "http/web.hpp"
#include "http/web_actions.hpp"
#include "http/web_support.hpp"
#include "http/web_view.hpp"
#include "persistence/application_store.hpp"
#include "persistence/read_pool.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace hb {

namespace {

constexpr std::size_t page_size = 50;
constexpr std::size_t max_search = 100; ///< bytes of a name search kept
constexpr std::array<app_status, 5> all_statuses{app_status::down, app_status::late, app_status::up,
                                                 app_status::new_, app_status::paused};
/// The order of the counts and of the filter's options: the healthy first, like a summary.
constexpr std::array<app_status, 5> shown_statuses{
    app_status::up, app_status::late, app_status::down, app_status::new_, app_status::paused};

/// Problems first: down, then late, then the rest.
int severity(app_status s) {
  return static_cast<int>(std::find(all_statuses.begin(), all_statuses.end(), s) -
                          all_statuses.begin());
}

struct dashboard_query {
  std::string q;
  std::optional<app_status> status;
  std::size_t page = 1;
};

struct dashboard_row {
  std::int64_t id = 0;
  std::string name;
  app_status status = app_status::new_;
  std::optional<timestamp> last_heartbeat;
  std::optional<timestamp> next_deadline;
};

struct dashboard_data {
  std::array<std::size_t, 5> counts{}; ///< by severity()
  std::size_t total = 0;
  std::size_t matching = 0;
  std::size_t page = 1;
  std::size_t pages = 1;
  std::vector<dashboard_row> rows;
};

dashboard_query parse_query(const api_request& req) {
  dashboard_query out;
  if (auto it = req.query.find("q"); it != req.query.end()) {
    out.q = it->second;
    if (out.q.size() > max_search) {
      // Cut at a character boundary: half a UTF-8 character would make the links invalid.
      auto n = max_search;
      while (n > 0 && (static_cast<unsigned char>(out.q[n]) & 0xC0) == 0x80)
        --n;
      out.q.resize(n);
    }
  }
  if (auto it = req.query.find("status"); it != req.query.end())
    out.status = parse_status(it->second); // anything else: no filter
  if (auto it = req.query.find("page"); it != req.query.end()) {
    std::size_t n = 0;
    const auto& s = it->second;
    if (std::from_chars(s.data(), s.data() + s.size(), n).ec == std::errc{} && n > 0)
      out.page = n;
  }
  return out;
}

bool contains_folded(std::string_view text, std::string_view needle) {
  auto fold = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  return std::search(text.begin(), text.end(), needle.begin(), needle.end(),
                     [&](char a, char b) { return fold(a) == fold(b); }) != text.end();
}

/// One pass over every application: the counts, and the page of those that match. A status
/// depends on the clock, so it is computed here with the rules the actors use (api::view_of).
dashboard_data collect(soci::session& s, const api& json_api, const dashboard_query& query) {
  dashboard_data out;
  std::vector<dashboard_row> matching;
  for_each_application(s, json_api.context().backend, [&](application_record&& r) {
    const auto view = json_api.view_of(r);
    ++out.counts[static_cast<std::size_t>(severity(view.status))];
    ++out.total;
    if ((query.status && view.status != *query.status) ||
        (!query.q.empty() && !contains_folded(r.name, query.q)))
      return;
    matching.push_back(
        {r.id, std::move(r.name), view.status, r.last_heartbeat, view.next_deadline});
  });
  out.matching = matching.size();
  out.pages = std::max<std::size_t>(1, (matching.size() + page_size - 1) / page_size);
  out.page = std::min(query.page, out.pages);
  const auto first = (out.page - 1) * page_size;
  const auto last = std::min(matching.size(), first + page_size);
  auto before = [](const dashboard_row& a, const dashboard_row& b) {
    const auto sa = severity(a.status), sb = severity(b.status);
    if (sa != sb)
      return sa < sb;
    if (a.name != b.name)
      return a.name < b.name;
    return a.id < b.id;
  };
  // Only the rows up to the end of this page need to be in order.
  std::partial_sort(matching.begin(), matching.begin() + static_cast<std::ptrdiff_t>(last),
                    matching.end(), before);
  out.rows.assign(std::make_move_iterator(matching.begin() + static_cast<std::ptrdiff_t>(first)),
                  std::make_move_iterator(matching.begin() + static_cast<std::ptrdiff_t>(last)));
  return out;
}

/// "1–50 of 10000"
std::string page_info(const dashboard_data& d) {
  const auto first = d.rows.empty() ? 0 : (d.page - 1) * page_size + 1;
  const auto last = d.rows.empty() ? 0 : first + d.rows.size() - 1;
  return fmt::format("{}–{} of {}", first, last, d.matching);
}

/// The dashboard's query string with `page` replaced.
std::string page_link(const dashboard_query& q, std::size_t page) {
  std::string out = "/?page=" + std::to_string(page);
  if (!q.q.empty())
    out += "&q=" + web::url_encode(q.q);
  if (q.status)
    out += "&status=" + std::string{to_string(*q.status)};
  return out;
}

web::view_data html_data(const dashboard_data& d, const dashboard_query& q, timestamp now) {
  using kainjow::mustache::data;
  data counts{data::type::list};
  for (auto s : shown_statuses) {
    data c;
    c.set("status", std::string{to_string(s)});
    c.set("count", std::to_string(d.counts[static_cast<std::size_t>(severity(s))]));
    counts.push_back(c);
  }
  data rows{data::type::list};
  for (const auto& r : d.rows) {
    data row;
    row.set("id", std::to_string(r.id));
    row.set("name", r.name);
    row.set("status", std::string{to_string(r.status)});
    row.set("last", web::time_view(r.last_heartbeat, now));
    row.set("deadline", web::time_view(r.next_deadline, now));
    rows.push_back(row);
  }
  data options{data::type::list};
  for (auto s : shown_statuses) {
    data o;
    o.set("value", std::string{to_string(s)});
    o.set("selected", q.status == s);
    options.push_back(o);
  }
  data out;
  out.set("counts", counts);
  out.set("total", std::to_string(d.total));
  out.set("rows", rows);
  out.set("has_rows", !d.rows.empty());
  out.set("filtered", !q.q.empty() || q.status.has_value());
  out.set("q", q.q);
  out.set("status_options", options);
  out.set("page_info", page_info(d));
  out.set("pages", std::to_string(d.pages));
  out.set("has_prev", d.page > 1);
  out.set("prev_link", page_link(q, d.page - 1));
  out.set("has_next", d.page < d.pages);
  out.set("next_link", page_link(q, d.page + 1));
  out.set("json_link", "/dashboard.json" + page_link(q, d.page).substr(1));
  return out;
}

nlohmann::json json_data(const dashboard_data& d, timestamp now) {
  nlohmann::json counts{{"total", d.total}};
  for (auto s : all_statuses)
    counts[std::string{to_string(s)}] = d.counts[static_cast<std::size_t>(severity(s))];
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : d.rows)
    rows.push_back({{"id", r.id},
                    {"name", r.name},
                    {"status", to_string(r.status)},
                    {"last_heartbeat", time_or_null(r.last_heartbeat)},
                    {"next_deadline", time_or_null(r.next_deadline)}});
  return {{"now", to_iso8601(now)},
          {"counts", std::move(counts)},
          {"total_matching", d.matching},
          {"page", d.page},
          {"pages", d.pages},
          {"applications", std::move(rows)}};
}

} // namespace

void web_ui::dashboard(const api_request& req, const responder& respond) const {
  auto self = shared_from_this();
  api_->context().reads->post(
      [self, req, respond](soci::session& s) {
        const auto query = parse_query(req);
        const auto data = collect(s, *self->api_, query);
        const auto now = self->api_->context().now();
        respond(web::html_response(
            200, web::page({"Dashboard", req.csrf, web::notice_text(req),
                            static_cast<int>(self->options_.refresh_interval.count())},
                           "dashboard", html_data(data, query, now))));
      },
      web::database_failure(respond, req.csrf));
}

void web_ui::dashboard_json(const api_request& req, const responder& respond) const {
  auto self = shared_from_this();
  api_->context().reads->post(
      [self, req, respond](soci::session& s) {
        const auto data = collect(s, *self->api_, parse_query(req));
        respond(json_response(200, json_data(data, self->api_->context().now())));
      },
      [respond](const std::string& why) { respond(unavailable(why)); });
}

} // namespace hb
