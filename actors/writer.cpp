#include "actors/writer.hpp"

#include "actors/batch_planner.hpp"
#include "actors/committer.hpp"

#include <optional>
#include <variant>

namespace hb {

namespace {

/// How one accepted item is answered: a reply to a request, or a completion callback.
class writer_reply {
public:
  using ok_promise = caf::typed_response_promise<ok_atom>;
  using op_promise = caf::typed_response_promise<application_op_result>;

  explicit writer_reply(ok_promise p) : to_{std::move(p)} {}
  explicit writer_reply(op_promise p) : to_{std::move(p)} {}
  explicit writer_reply(completion c) : to_{std::move(c)} {}

  void committed(application_op_result result = std::nullopt) {
    if (auto* p = std::get_if<ok_promise>(&to_))
      p->deliver(ok_atom::value);
    else if (auto* o = std::get_if<op_promise>(&to_))
      o->deliver(std::move(result));
    else
      std::get<completion>(to_)(caf::error{});
  }

  void failed(const caf::error& err) {
    if (auto* p = std::get_if<ok_promise>(&to_))
      p->deliver(err);
    else if (auto* o = std::get_if<op_promise>(&to_))
      o->deliver(err);
    else
      std::get<completion>(to_)(err);
  }

private:
  std::variant<ok_promise, op_promise, completion> to_;
};

using planner = batch_planner<writer_reply>;

struct writer_state {
  writer_state() = default; // not an aggregate: CAF must not build it from `self`
  writer_options options;
  std::unique_ptr<planner> plan;
  std::vector<committer_actor> idle;
  std::size_t busy = 0;
  /// When the earliest pending timer fires; a later one may still be pending, harmlessly.
  std::optional<planner::clock::time_point> timer_at;
  bool draining = false;
  std::uint64_t overloaded = 0; ///< items refused because the queue was full
  caf::error exit_reason;

  static inline const char* name = "writer";
};

using writer_pointer = writer_actor::stateful_pointer<writer_state>;

void dispatch(writer_pointer self);

void quit_if_drained(writer_pointer self) {
  auto& st = self->state;
  if (st.draining && st.busy == 0 && st.plan->drained())
    self->quit(st.exit_reason);
}

/// Frees `committer` and hands it the next due batch at once: the batch that waited for this
/// commit starts before the answers to this one are built (about 4 µs each on the writer's thread),
/// which shortens every group-commit cycle by that much.
void release(writer_pointer self, committer_actor committer) {
  self->state.idle.push_back(std::move(committer));
  --self->state.busy;
  dispatch(self);
}

void send_batch(writer_pointer self, write_batch batch, planner::receipt receipt) {
  auto& st = self->state;
  auto committer = std::move(st.idle.back());
  st.idle.pop_back();
  ++st.busy;
  auto r = std::make_shared<planner::receipt>(std::move(receipt));
  self->request(committer, caf::infinite, commit_atom::value, std::move(batch))
      .then(
          [self, r, committer](commit_report& report) {
            auto& metrics = *self->state.options.metrics;
            metrics.observe_commit(report.items, report.duration);
            if (r->overflow)
              metrics.overflow_batches.fetch_add(1, std::memory_order_relaxed);
            self->state.plan->committed(*r, planner::clock::now());
            release(self, committer);
            const auto first_op = r->replies.size() - r->op_count;
            for (std::size_t i = 0; i < r->replies.size(); ++i)
              r->replies[i].committed(i < first_op ? std::nullopt
                                                   : std::move(report.op_results[i - first_op]));
            quit_if_drained(self);
          },
          [self, r, committer](caf::error& err) {
            auto& st = self->state;
            st.options.metrics->observe_failure(r->replies.size());
            if (auto dropped = st.plan->failed(*r, planner::clock::now(), st.draining))
              st.options.log->warn("stopping without storing last_heartbeat of {} applications "
                                   "(their heartbeats are in history)",
                                   dropped);
            release(self, committer);
            for (auto& reply : r->replies)
              reply.failed(err);
            quit_if_drained(self);
          });
}

// Hands due batches to idle committers, then sets a timer for whatever has to wait.
void dispatch(writer_pointer self) {
  auto& st = self->state;
  const auto now = planner::clock::now();
  while (!st.idle.empty()) {
    auto next = st.plan->next(now, st.draining);
    if (!next)
      break;
    send_batch(self, std::move(next->first), std::move(next->second));
  }
  // With every committer busy, the next commit to end calls dispatch: no timer needed.
  if (st.idle.empty())
    return;
  if (auto due = st.plan->next_due(); due && (!st.timer_at || *due < *st.timer_at)) {
    st.timer_at = due;
    const auto wait = std::max(*due - now, planner::clock::duration{0});
    // Rounded up: a timer that fires a fraction early would find nothing due and set no other.
    self->delayed_send(self, std::chrono::ceil<std::chrono::microseconds>(wait), flush_atom::value);
  }
}

template <class Item> void enqueue(writer_pointer self, Item item, writer_reply reply) {
  auto& st = self->state;
  if (st.draining) {
    reply.failed(make_error(errc::shutting_down, "the server is shutting down"));
    return;
  }
  if (st.plan->queued() >= st.options.max_queued) {
    if (st.overloaded++ % 10000 == 0)
      st.options.log->warn("writer: {} items wait for the database; refusing new ones (HTTP 429)",
                           st.plan->queued());
    reply.failed(make_error(errc::overloaded, "too many writes waiting, try again shortly"));
    return;
  }
  st.plan->add(std::move(item), std::move(reply), planner::clock::now());
  dispatch(self);
}

template <class Result, class Item>
caf::typed_response_promise<Result> enqueue_request(writer_pointer self, Item item) {
  auto promise = self->make_response_promise<Result>();
  enqueue(self, std::move(item), writer_reply{promise});
  return promise;
}

writer_actor::behavior_type writer(writer_pointer self, writer_options options) {
  auto& st = self->state;
  st.options = std::move(options);
  // SQLite admits one writer at a time: more sessions would only wait for each other's lock.
  const auto sessions = st.options.database.backend == db_backend::sqlite3
                            ? 1
                            : std::max<std::size_t>(1, st.options.connections);
  planner::limits limits{st.options.max_batch, st.options.max_delay,
                         st.options.last_heartbeat_flush};
  limits.sessions = sessions;
  limits.overflow_batch = st.options.overflow_batch;
  st.plan = std::make_unique<planner>(limits);
  for (std::size_t i = 0; i < sessions; ++i) {
    st.idle.push_back(spawn_committer(self->system(), st.options.database, st.options.log));
    self->link_to(st.idle.back());
  }
  self->set_exit_handler([self](caf::exit_msg& msg) {
    auto& st = self->state;
    if (msg.reason != caf::exit_reason::user_shutdown) {
      for (auto& reply : st.plan->take_replies())
        reply.failed(make_error(errc::shutting_down, "the writer stopped"));
      self->quit(msg.reason);
      return;
    }
    // Graceful stop: commit and answer everything already accepted, then quit.
    st.draining = true;
    st.exit_reason = msg.reason;
    dispatch(self);
    quit_if_drained(self);
  });
  return {
      [self](record_atom, heartbeat_event& e) {
        return enqueue_request<ok_atom>(self, std::move(e));
      },
      [self](record_atom, heartbeat_event& e, completion& done) {
        enqueue(self, std::move(e), writer_reply{std::move(done)});
      },
      [self](record_atom, const status_change& c) { return enqueue_request<ok_atom>(self, c); },
      [self](record_atom, const status_change& c, completion& done) {
        enqueue(self, c, writer_reply{std::move(done)});
      },
      [self](apply_atom, application_op& op) {
        return enqueue_request<application_op_result>(self, std::move(op));
      },
      [self](flush_atom) {
        auto& st = self->state;
        if (st.timer_at && planner::clock::now() >= *st.timer_at)
          st.timer_at.reset();
        dispatch(self);
      },
  };
}

} // namespace

writer_actor spawn_writer(caf::actor_system& sys, writer_options options) {
  return sys.spawn(writer, std::move(options));
}

} // namespace hb
