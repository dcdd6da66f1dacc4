#include "actors/writer.hpp"

#include "actors/committer.hpp"

#include <deque>
#include <variant>

namespace hb {

namespace {

using promise = caf::typed_response_promise<ok_atom>;

struct pending_item {
  std::variant<heartbeat_event, status_change> data;
  promise reply;
};

struct writer_state {
  writer_options options;
  committer_actor committer;
  std::deque<pending_item> queue;
  bool in_flight = false;
  bool timer_armed = false;
  bool draining = false;
  caf::error exit_reason;
  std::uint64_t timer_generation = 0;

  static inline const char* name = "writer";
};

using writer_pointer = writer_actor::stateful_pointer<writer_state>;

void flush(writer_pointer self);

void quit_if_drained(writer_pointer self) {
  auto& st = self->state;
  if (st.draining && !st.in_flight && st.queue.empty())
    self->quit(st.exit_reason);
}

// Group commit, step by step:
// 1. an item joins the queue;
// 2. if a commit is running, it waits: the queue becomes the next batch;
// 3. otherwise it is committed at once when the batch is full (or no window is configured),
//    else when the window of its first item ends;
// 4. when a commit ends, the queue (which waited a whole commit already) is flushed at once.
caf::typed_response_promise<ok_atom> enqueue(writer_pointer self,
                                             std::variant<heartbeat_event, status_change> item) {
  auto& st = self->state;
  auto reply = self->make_response_promise<ok_atom>();
  if (st.draining) {
    reply.deliver(make_error(errc::shutting_down, "the server is shutting down"));
    return reply;
  }
  st.queue.push_back(pending_item{std::move(item), reply});
  if (st.in_flight)
    return reply;
  if (st.queue.size() >= st.options.max_batch || st.options.max_delay.count() == 0) {
    flush(self);
  } else if (!st.timer_armed) {
    st.timer_armed = true;
    self->delayed_send(self, st.options.max_delay, flush_atom::value, st.timer_generation);
  }
  return reply;
}

void after_commit(writer_pointer self) {
  self->state.in_flight = false;
  if (!self->state.queue.empty())
    flush(self);
  else
    quit_if_drained(self);
}

void flush(writer_pointer self) {
  auto& st = self->state;
  // A pending window timer belongs to items that are leaving now: make it stale.
  ++st.timer_generation;
  st.timer_armed = false;
  const auto n = std::min(st.queue.size(), st.options.max_batch);
  write_batch batch;
  auto replies = std::make_shared<std::vector<promise>>();
  replies->reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto& item = st.queue.front();
    if (auto* hb = std::get_if<heartbeat_event>(&item.data))
      batch.heartbeats.push_back(std::move(*hb));
    else
      batch.status_changes.push_back(std::move(std::get<status_change>(item.data)));
    replies->push_back(std::move(item.reply));
    st.queue.pop_front();
  }
  st.in_flight = true;
  self->request(st.committer, caf::infinite, commit_atom::value, std::move(batch))
    .then(
      [self, replies](const commit_report& report) {
        self->state.options.metrics->observe_commit(report.items, report.duration);
        for (auto& r : *replies)
          r.deliver(ok_atom::value);
        after_commit(self);
      },
      [self, replies](caf::error& err) {
        self->state.options.metrics->observe_failure(replies->size());
        for (auto& r : *replies)
          r.deliver(err);
        after_commit(self);
      });
}

writer_actor::behavior_type writer(writer_pointer self, writer_options options) {
  auto& st = self->state;
  st.options = std::move(options);
  st.committer = spawn_committer(self->system(), st.options.database, st.options.log);
  self->link_to(st.committer);
  self->set_exit_handler([self](caf::exit_msg& msg) {
    if (msg.reason != caf::exit_reason::user_shutdown) {
      self->quit(msg.reason);
      return;
    }
    // Graceful stop: commit and answer everything already accepted, then quit.
    self->state.draining = true;
    self->state.exit_reason = msg.reason;
    if (!self->state.in_flight && !self->state.queue.empty())
      flush(self);
    quit_if_drained(self);
  });
  return {
    [self](record_atom, heartbeat_event& e) { return enqueue(self, std::move(e)); },
    [self](record_atom, status_change& c) { return enqueue(self, std::move(c)); },
    [self](flush_atom, std::uint64_t generation) {
      auto& st = self->state;
      if (generation != st.timer_generation || st.in_flight || st.queue.empty())
        return;
      flush(self);
    },
  };
}

} // namespace

writer_actor spawn_writer(caf::actor_system& sys, writer_options options) {
  return sys.spawn(writer, std::move(options));
}

} // namespace hb
