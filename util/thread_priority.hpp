#pragma once

namespace hb {

/// Lowers the scheduling priority of the calling thread to `nice` (Linux: a per-thread nice
/// value; never raises it), so
/// that background work such as alert delivery yields the CPU to the heartbeat path when both
/// want it. Best effort: failures are ignored.
void lower_thread_priority(int nice);

} // namespace hb
