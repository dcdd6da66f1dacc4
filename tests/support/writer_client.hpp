#pragma once

#include "actors/system_config.hpp"
#include "actors/writer.hpp"

#include <caf/all.hpp>

#include <future>

namespace hb {

/// Sends one request to the writer from an actor of its own and hands back the answer as a
/// future: an empty caf::error means `ok` (committed).
template <class Item>
std::future<caf::error> record_async(caf::actor_system& sys, const writer_actor& writer,
                                     Item item) {
  auto done = std::make_shared<std::promise<caf::error>>();
  auto answer = done->get_future();
  // Values passed as spawn arguments, not captured: CAF 0.17 dereferences an empty argument
  // tuple when a function is spawned with none (undefined behaviour that UBSan reports).
  sys.spawn(
      [](caf::event_based_actor* self, writer_actor writer, Item item,
         std::shared_ptr<std::promise<caf::error>> done) {
        self->request(writer, caf::infinite, record_atom::value, std::move(item))
            .then([done](ok_atom) { done->set_value(caf::error{}); },
                  [done](caf::error& err) { done->set_value(std::move(err)); });
      },
      writer, std::move(item), done);
  return answer;
}

} // namespace hb
