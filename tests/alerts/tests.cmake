# Alert channel tests (included from tests/CMakeLists.txt). The HTTP channels talk to a loopback
# HTTP server (alerts/http_receiver), email to aiosmtpd (alerts/smtp_sink.py, /usr/bin/python3).
find_package(Threads REQUIRED)
hb_add_test(alerts_test
  SOURCES alerts/target_problem_test.cpp alerts/message_test.cpp alerts/email_message_test.cpp
          alerts/http_channels_test.cpp alerts/email_channel_test.cpp
          alerts/http_receiver.cpp alerts/smtp_sink.cpp
  LABELS unit)
target_link_libraries(alerts_test PRIVATE Threads::Threads)
