#include "server/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "server/rfc3339.h"
#include "storage/clock.h"
#include "storage/labels.h"

namespace fenrir::server {

namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::mutex g_mu;
}  // namespace

bool ParseLogLevel(std::string_view text, LogLevel* out) {
  if (text == "debug") *out = LogLevel::kDebug;
  else if (text == "info") *out = LogLevel::kInfo;
  else if (text == "warn") *out = LogLevel::kWarn;
  else if (text == "error") *out = LogLevel::kError;
  else return false;
  return true;
}

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
  }
  return "info";
}

void SetLogLevel(LogLevel level) { g_level.store(static_cast<int>(level)); }
LogLevel GetLogLevel() { return static_cast<LogLevel>(g_level.load()); }

void Log(LogLevel level, std::string_view msg) {
  if (static_cast<int>(level) < g_level.load()) return;
  std::string line = "level=" + std::string(LogLevelName(level)) + " ts=" +
                     FormatRfc3339Nano(storage::SystemClock::Default()->NowNanos()) +
                     " msg=" + storage::GoQuote(msg) + "\n";
  std::lock_guard<std::mutex> lock(g_mu);
  fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace fenrir::server
