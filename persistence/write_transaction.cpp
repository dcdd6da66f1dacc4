#include "persistence/write_transaction.hpp"

namespace hb {

write_transaction::write_transaction(soci::session& session, db_backend backend)
    : session_{session}, backend_{backend} {
  if (backend_ == db_backend::sqlite3)
    session_ << "BEGIN IMMEDIATE";
  else
    session_.begin();
}

write_transaction::~write_transaction() {
  if (!open_)
    return;
  try {
    if (backend_ == db_backend::sqlite3)
      session_ << "ROLLBACK";
    else
      session_.rollback();
  } catch (...) {
    // The connection is gone: so is the transaction. Callers reconnect on the error they saw.
  }
}

void write_transaction::commit() {
  if (backend_ == db_backend::sqlite3)
    session_ << "COMMIT";
  else
    session_.commit();
  open_ = false;
}

} // namespace hb
