#include "actors/committer.hpp"

#include "persistence/batch_writer.hpp"
#include "persistence/connection.hpp"

#include <optional>

namespace hb {

namespace {

// After a failed connect, batches fail fast for this long instead of each waiting on a connect
// attempt of its own.
constexpr auto reconnect_gap = std::chrono::milliseconds{250};

struct committer_state {
  committer_state() = default; // not an aggregate: CAF must not build it from `self`
  database_url url;
  std::shared_ptr<const logger> log;
  std::unique_ptr<soci::session> session;
  std::unique_ptr<batch_writer> writer; // prepared statements of `session`
  std::optional<std::chrono::steady_clock::time_point> last_connect_failure;
  std::string last_error;
  std::uint64_t failures_in_a_row = 0;

  static inline const char* name = "committer";
};

using committer_pointer = committer_actor::stateful_pointer<committer_state>;

caf::result<commit_report> fail(committer_state& st, errc code, std::string why) {
  if (st.failures_in_a_row++ == 0)
    st.log->warn("database write failed, will keep retrying: {}", why);
  st.last_error = why;
  return make_error(code, std::move(why));
}

bool ensure_session(committer_state& st) {
  if (st.writer)
    return true;
  const auto now = std::chrono::steady_clock::now();
  if (st.last_connect_failure && now - *st.last_connect_failure < reconnect_gap)
    return false;
  try {
    auto session = open_session(st.url);
    auto writer = std::make_unique<batch_writer>(*session, st.url.backend);
    st.session = std::move(session);
    st.writer = std::move(writer);
    st.last_connect_failure.reset();
    return true;
  } catch (const std::exception& e) {
    st.last_connect_failure = now;
    st.last_error = e.what();
    return false;
  }
}

caf::result<commit_report> commit(committer_state& st, const write_batch& batch) {
  if (!ensure_session(st))
    return fail(st, errc::database_unavailable, "database unavailable: " + st.last_error);
  const auto started = std::chrono::steady_clock::now();
  std::vector<application_op_result> op_results;
  try {
    op_results = st.writer->persist(batch);
  } catch (const std::exception& e) {
    // The session may be dead (server restarted) or mid-failure: start from a fresh one.
    st.writer.reset();
    st.session.reset();
    return fail(st, errc::commit_failed, std::string{"commit failed: "} + e.what());
  }
  if (st.failures_in_a_row > 0) {
    st.log->info("database writes recovered after {} failed batches", st.failures_in_a_row);
    st.failures_in_a_row = 0;
  }
  const auto took = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  return commit_report{batch.size(), took, std::move(op_results)};
}

committer_actor::behavior_type committer(committer_pointer self, database_url url,
                                         std::shared_ptr<const logger> log) {
  self->state.url = std::move(url);
  self->state.log = std::move(log);
  return {
      [self](commit_atom, const write_batch& batch) { return commit(self->state, batch); },
  };
}

} // namespace

committer_actor spawn_committer(caf::actor_system& sys, database_url url,
                                std::shared_ptr<const logger> log) {
  return sys.spawn<caf::detached>(committer, std::move(url), std::move(log));
}

} // namespace hb
