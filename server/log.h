#pragma once
// Minimal leveled logging to stderr in Loki's logfmt style. Thread-safe.

#include <string>
#include <string_view>

namespace fenrir::server {

enum class LogLevel { kDebug = 0, kInfo, kWarn, kError };

// Parses debug / info / warn / error; false for anything else.
bool ParseLogLevel(std::string_view text, LogLevel* out);
std::string_view LogLevelName(LogLevel level);

void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();

// level=<l> ts=<RFC3339Nano> msg="<msg>"
void Log(LogLevel level, std::string_view msg);

}  // namespace fenrir::server
