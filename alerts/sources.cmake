# Alert channels: one file pair per channel, behind alerts/channel.hpp.
find_package(CURL REQUIRED)

# The message templates are compiled into the binary (cmake/embed_files.cmake):
# hb::alerts::embedded_template(name) has every templates/alerts/*.mustache.
file(GLOB hb_alert_templates CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/templates/alerts/*.mustache)
hb_embed_files(TARGET heartbeatd_core
  OUTPUT ${CMAKE_BINARY_DIR}/generated/alerts/embedded_templates.cpp
  HEADER alerts/embedded_templates.hpp NAMESPACE hb::alerts FUNCTION embedded_template
  EXTENSION .mustache FILES ${hb_alert_templates})

target_sources(heartbeatd_core PRIVATE
  alerts/channel_registry.cpp
  alerts/curl_handle.cpp
  alerts/discord_channel.cpp
  alerts/email_channel.cpp
  alerts/email_message.cpp
  alerts/http_transport.cpp
  alerts/message.cpp
  alerts/slack_channel.cpp
  alerts/sms_channel.cpp
  alerts/target_checks.cpp
  alerts/text_util.cpp
  alerts/webhook_channel.cpp
)
target_link_libraries(heartbeatd_core PUBLIC CURL::libcurl)
