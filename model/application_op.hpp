#pragma once

#include "model/application.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace hb {

/// Fields an update may change; unset ones stay as they are.
struct application_patch {
  std::optional<std::string> name;
  std::optional<std::int64_t> expected_interval_s;
  std::optional<std::int64_t> grace_period_s;
  std::optional<bool> is_active;
  std::optional<std::int64_t> reminder_interval_s;
};

struct application_create {
  application_spec spec;
  std::string uuid;
  timestamp at;
};

struct application_update {
  std::int64_t id = 0;
  application_patch patch;
  timestamp at;
};

struct application_delete {
  std::int64_t id = 0;
};

/// An administrative change of an application, committed by the writer like everything else.
using application_op = std::variant<application_create, application_update, application_delete>;

/// The row after the change (for a delete: the row as it was); unset when no such application.
using application_op_result = std::optional<application_record>;

} // namespace hb
