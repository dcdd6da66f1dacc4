// What the application page reads: status changes, and heartbeats per slice of the timeline.

#include "support/test_database.hpp"

#include "persistence/application_store.hpp"
#include "persistence/batch_writer.hpp"
#include "persistence/history_queries.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

using namespace hb;
using namespace std::chrono_literals;
namespace bdata = boost::unit_test::data;

namespace {

timestamp at(std::int64_t seconds) {
  return from_micros(1'700'000'000'000'000 + seconds * 1'000'000);
}

} // namespace

BOOST_AUTO_TEST_SUITE(history_queries)

BOOST_DATA_TEST_CASE(status_changes_come_newest_first_and_limited, bdata::make(all_backends),
                     backend) {
  test_database db{backend};
  auto app = insert_application(db.session(), backend, {"job", 60, 0, 0}, at(0));
  auto other = insert_application(db.session(), backend, {"other", 60, 0, 0}, at(0));
  write_batch batch;
  batch.status_changes = {{app.id, app_status::new_, app_status::up, at(1)},
                          {app.id, app_status::up, app_status::down, at(70)},
                          {other.id, app_status::new_, app_status::up, at(71)},
                          {app.id, app_status::down, app_status::up, at(80)}};
  persist_batch(db.session(), backend, batch);

  auto rows = status_change_history(db.session(), backend, app.id, 10);
  BOOST_TEST_REQUIRE(rows.size() == 3u);
  BOOST_TEST(rows[0].from == "down");
  BOOST_TEST(rows[0].to == "up");
  BOOST_TEST((rows[0].at == at(80)));
  BOOST_TEST((rows[2].at == at(1)));
  BOOST_TEST(status_change_history(db.session(), backend, app.id, 2).size() == 2u);
}

BOOST_DATA_TEST_CASE(heartbeats_are_counted_per_slice_since_a_time, bdata::make(all_backends),
                     backend) {
  test_database db{backend};
  auto app = insert_application(db.session(), backend, {"job", 60, 0, 0}, at(0));
  auto other = insert_application(db.session(), backend, {"other", 60, 0, 0}, at(0));
  write_batch batch;
  for (int s : {5, 95, 100, 101, 150, 400})
    batch.heartbeats.push_back({app.id, at(s), "10.0.0.1"});
  batch.heartbeats.push_back({other.id, at(100), "10.0.0.2"});
  persist_batch(db.session(), backend, batch);

  // Since second 90 in slices of 100 s: [90,190) holds 95, 100, 101, 150; [390,490) holds 400.
  auto slots = heartbeat_buckets_since(db.session(), backend, app.id, at(90), 100s);
  BOOST_TEST_REQUIRE(slots.size() == 2u);
  BOOST_TEST(slots[0].index == 0);
  BOOST_TEST(slots[0].count == 4);
  BOOST_TEST(slots[1].index == 3);
  BOOST_TEST(slots[1].count == 1);
}

BOOST_AUTO_TEST_SUITE_END()
