#include "http/admin_secrets.hpp"
#include "http/login_limiter.hpp"
#include "http/session_store.hpp"

#include <boost/test/unit_test.hpp>

using namespace hb;
using namespace std::chrono_literals;

namespace {

const timestamp t0 = from_micros(1'800'000'000'000'000);

} // namespace

BOOST_AUTO_TEST_SUITE(sessions)

BOOST_AUTO_TEST_CASE(a_session_has_a_random_id_and_its_own_csrf_token) {
  session_store store{1h, 12h};
  auto a = store.create(t0);
  auto b = store.create(t0);
  BOOST_TEST(a.id.size() == 43u); // 256 bits, base64url
  BOOST_TEST(a.id != b.id);
  BOOST_TEST(a.csrf != b.csrf);
  BOOST_TEST(a.csrf != a.id);
  BOOST_TEST(store.touch(a.id, t0).value_or("") == a.csrf);
  BOOST_TEST(!store.touch("made-up", t0).has_value());
  BOOST_TEST(!store.touch("", t0).has_value());
}

BOOST_AUTO_TEST_CASE(an_idle_session_ends_and_activity_keeps_it_alive) {
  session_store store{1h, 12h};
  auto s = store.create(t0);
  BOOST_TEST(store.touch(s.id, t0 + 59min).has_value());
  BOOST_TEST(store.touch(s.id, t0 + 118min).has_value()); // idle time counts from the last use
  BOOST_TEST(!store.touch(s.id, t0 + 118min + 1h).has_value());
  BOOST_TEST(store.size() == 0u); // forgotten once found expired
}

BOOST_AUTO_TEST_CASE(background_polling_does_not_keep_a_session_alive) {
  session_store store{1h, 12h};
  auto s = store.create(t0);
  for (auto t = t0; t < t0 + 1h; t += 5min)
    BOOST_TEST(store.touch(s.id, t, /*activity=*/false).has_value());
  BOOST_TEST(!store.touch(s.id, t0 + 1h, /*activity=*/false).has_value());
}

BOOST_AUTO_TEST_CASE(a_session_ends_at_its_maximum_age_however_active) {
  session_store store{1h, 3h};
  auto s = store.create(t0);
  for (auto t = t0; t < t0 + 3h; t += 30min)
    BOOST_TEST(store.touch(s.id, t).has_value());
  BOOST_TEST(!store.touch(s.id, t0 + 3h).has_value());
}

BOOST_AUTO_TEST_CASE(a_session_of_an_earlier_password_ends) {
  session_store store{1h, 12h};
  auto old = store.create(t0, 0);
  auto current = store.create(t0, 1);
  BOOST_TEST(store.touch(current.id, t0, true, 1).has_value());
  BOOST_TEST(!store.touch(old.id, t0, true, 1).has_value());
  BOOST_TEST(!store.touch(old.id, t0, true, 0).has_value()); // forgotten, not only refused
  BOOST_TEST(store.size() == 1u);
}

BOOST_AUTO_TEST_CASE(logout_ends_the_session) {
  session_store store{1h, 12h};
  auto s = store.create(t0);
  store.remove(s.id);
  BOOST_TEST(!store.touch(s.id, t0).has_value());
}

BOOST_AUTO_TEST_CASE(the_store_is_bounded_and_drops_the_least_recently_used) {
  session_store store{1h, 12h, 3};
  auto a = store.create(t0);
  auto b = store.create(t0 + 1s);
  auto c = store.create(t0 + 2s);
  store.touch(a.id, t0 + 3s); // b is now the least recently used
  auto d = store.create(t0 + 4s);
  BOOST_TEST(store.size() == 3u);
  BOOST_TEST(store.touch(a.id, t0 + 5s).has_value());
  BOOST_TEST(!store.touch(b.id, t0 + 5s).has_value());
  BOOST_TEST(store.touch(c.id, t0 + 5s).has_value());
  BOOST_TEST(store.touch(d.id, t0 + 5s).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(secrets)

BOOST_AUTO_TEST_CASE(stored_secrets_replace_those_in_use_and_count_password_changes) {
  admin_secrets secrets{{"token-1", false}, {"password-1", false}};
  auto changed = secrets.take_stored(std::string{"token-1"}, std::string{"password-1"});
  BOOST_TEST((!changed.token && !changed.password));
  BOOST_TEST(secrets.password().generation == 0u);

  changed = secrets.take_stored(std::string{"token-2"}, std::string{"password-1"});
  BOOST_TEST((changed.token && !changed.password));
  BOOST_TEST(secrets.token_hash() == "token-2");
  BOOST_TEST(secrets.password_generation() == 0u);

  changed = secrets.take_stored(std::string{"token-2"}, std::string{"password-2"});
  BOOST_TEST((!changed.token && changed.password));
  BOOST_TEST(secrets.password().hash == "password-2");
  BOOST_TEST(secrets.password().generation == 1u);

  // Nothing stored (emptied by hand) keeps the secrets in use rather than leaving none.
  changed = secrets.take_stored(std::nullopt, std::nullopt);
  BOOST_TEST((!changed.token && !changed.password));
  BOOST_TEST(secrets.token_hash() == "token-2");
}

BOOST_AUTO_TEST_CASE(a_secret_from_the_environment_is_never_replaced) {
  admin_secrets secrets{{"env-token", true}, {"env-password", true}};
  auto changed = secrets.take_stored(std::string{"stored-token"}, std::string{"stored-password"});
  BOOST_TEST((!changed.token && !changed.password));
  BOOST_TEST(secrets.token_hash() == "env-token");
  BOOST_TEST(secrets.password().hash == "env-password");
  BOOST_TEST(secrets.password_generation() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(login_limits)

BOOST_AUTO_TEST_CASE(an_address_is_refused_after_five_failures_until_the_window_ends) {
  login_limiter limiter{5, 15min};
  for (int i = 0; i < 5; ++i)
    BOOST_TEST(!limiter.try_begin("10.0.0.1", t0 + std::chrono::seconds{i * 2}).has_value());
  auto wait = limiter.try_begin("10.0.0.1", t0 + 10s);
  BOOST_TEST_REQUIRE(wait.has_value());
  BOOST_TEST(wait->count() == 890); // the window counts from the first failure, 10 s ago
  BOOST_TEST(!limiter.try_begin("10.0.0.2", t0 + 10s).has_value()); // others are not affected
  BOOST_TEST(!limiter.try_begin("10.0.0.1", t0 + 15min).has_value());
}

BOOST_AUTO_TEST_CASE(attempts_under_way_count_so_a_burst_cannot_slip_past_the_limit) {
  // 100 guesses sent at once: only the first five are let through to the password check.
  login_limiter limiter{5, 15min};
  int let_through = 0;
  for (int i = 0; i < 100; ++i)
    if (!limiter.try_begin("10.0.0.1", t0).has_value())
      ++let_through;
  BOOST_TEST(let_through == 5);
}

BOOST_AUTO_TEST_CASE(an_ipv6_client_counts_as_its_whole_64) {
  login_limiter limiter{2, 15min};
  BOOST_TEST(!limiter.try_begin("2001:db8:1:2::1", t0).has_value());
  BOOST_TEST(!limiter.try_begin("2001:db8:1:2:ffff::9", t0).has_value());
  BOOST_TEST(limiter.try_begin("2001:db8:1:2:aaaa:bbbb:cccc:dddd", t0).has_value());
  BOOST_TEST(!limiter.try_begin("2001:db8:1:3::1", t0).has_value()); // another /64
  // An IPv4 client reaching an IPv6 socket is still counted by its IPv4 address.
  BOOST_TEST(!limiter.try_begin("::ffff:192.0.2.7", t0).has_value());
  BOOST_TEST(!limiter.try_begin("192.0.2.7", t0).has_value());
  BOOST_TEST(limiter.try_begin("192.0.2.7", t0).has_value());
}

BOOST_AUTO_TEST_CASE(failures_in_an_old_window_do_not_add_up) {
  login_limiter limiter{3, 1min};
  BOOST_TEST(!limiter.try_begin("a", t0).has_value());
  BOOST_TEST(!limiter.try_begin("a", t0 + 10s).has_value());
  BOOST_TEST(!limiter.try_begin("a", t0 + 61s).has_value()); // a new window: one failure
  BOOST_TEST(!limiter.try_begin("a", t0 + 62s).has_value());
  BOOST_TEST(!limiter.try_begin("a", t0 + 63s).has_value());
  BOOST_TEST(limiter.try_begin("a", t0 + 64s).has_value());
}

BOOST_AUTO_TEST_CASE(a_success_clears_the_count) {
  login_limiter limiter{2, 1min};
  BOOST_TEST(!limiter.try_begin("a", t0).has_value());
  limiter.succeeded("a");
  BOOST_TEST(!limiter.try_begin("a", t0 + 1s).has_value());
  BOOST_TEST(!limiter.try_begin("a", t0 + 2s).has_value());
  BOOST_TEST(limiter.try_begin("a", t0 + 3s).has_value());
}

BOOST_AUTO_TEST_CASE(memory_stays_bounded_under_many_addresses) {
  login_limiter limiter{1, 1h, 100};
  for (int i = 0; i < 1000; ++i)
    limiter.try_begin("10.0." + std::to_string(i), t0 + std::chrono::seconds{i});
  // The newest addresses are still remembered, and refused.
  BOOST_TEST(limiter.try_begin("10.0.999", t0 + 1000s).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
