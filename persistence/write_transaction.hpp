#pragma once

#include "config/database_url.hpp"

#include <soci/soci.h>

namespace hb {

/// A transaction that will write, rolled back unless committed.
///
/// On SQLite it takes the write lock when it begins (BEGIN IMMEDIATE). A deferred transaction
/// that reads first and writes later cannot wait for the lock: when another connection (the
/// alert dispatcher, an API handler) committed in between, SQLite fails it at once with
/// "database is locked", busy timeout or not. Waiting at BEGIN for the lock always works.
class write_transaction {
public:
  write_transaction(soci::session& session, db_backend backend);
  ~write_transaction();
  write_transaction(const write_transaction&) = delete;
  write_transaction& operator=(const write_transaction&) = delete;

  void commit();

private:
  soci::session& session_;
  db_backend backend_;
  bool open_ = true;
};

} // namespace hb
