#include "alerts/smtp_sink.hpp"

#include <fcntl.h>
#include <fstream>
#include <random>
#include <spawn.h>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace hb::test {

namespace {

// Debian's python3: the one on PATH may be another installation without aiosmtpd.
constexpr const char* python = "/usr/bin/python3";

std::filesystem::path fresh_directory() {
  std::random_device random;
  auto dir = std::filesystem::temp_directory_path() /
             ("hb-smtp-sink-" + std::to_string(getpid()) + "-" + std::to_string(random()));
  std::filesystem::create_directories(dir);
  return dir;
}

} // namespace

smtp_sink::smtp_sink(const std::string& tls_mode) : dir_{fresh_directory()} {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  const std::string script = HB_SOURCE_DIR "/tests/alerts/smtp_sink.py";
  const std::string dir = dir_.string();
  char* argv[] = {const_cast<char*>(python), const_cast<char*>(script.c_str()),
                  const_cast<char*>(dir.c_str()),
                  tls_mode.empty() ? nullptr : const_cast<char*>(tls_mode.c_str()), nullptr};
  const int rc = posix_spawn(&pid_, python, &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (rc != 0) {
    close(out[0]);
    throw std::runtime_error("cannot start " + std::string{python});
  }
  // The script prints its port once it listens; EOF before that means it failed to start.
  std::string line;
  char c = 0;
  while (read(out[0], &c, 1) == 1 && c != '\n')
    line += c;
  close(out[0]);
  if (line.empty())
    throw std::runtime_error("smtp_sink.py did not start (is python3-aiosmtpd installed?)");
  port_ = static_cast<std::uint16_t>(std::stoi(line));
}

smtp_sink::~smtp_sink() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

int smtp_sink::message_count() const {
  int n = 0;
  while (std::filesystem::exists(dir_ / (std::to_string(n + 1) + ".json")))
    ++n;
  return n;
}

nlohmann::json smtp_sink::message(int n) const {
  std::ifstream in{dir_ / (std::to_string(n) + ".json")};
  if (!in)
    throw std::runtime_error("the sink has no message " + std::to_string(n));
  return nlohmann::json::parse(in);
}

} // namespace hb::test
