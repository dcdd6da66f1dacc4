#include "util/thread_priority.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace hb {

void lower_thread_priority(int nice) {
  // On Linux, PRIO_PROCESS with a thread id sets that thread's nice value alone. Threads inherit
  // it from the thread that made them: an absolute value, not an increment.
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  if (::getpriority(PRIO_PROCESS, tid) < nice)
    ::setpriority(PRIO_PROCESS, tid, nice);
}

} // namespace hb
