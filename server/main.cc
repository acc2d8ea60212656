// The fenrir executable: flags, configuration, server, signals.

#include <signal.h>

#include <atomic>
#include <cstdio>
#include <thread>

#include "server/config.h"
#include "server/log.h"
#include "server/server.h"

using fenrir::server::Log;
using fenrir::server::LogLevel;

namespace {

void Usage() {
  fprintf(stderr,
          "Usage: fenrir [-config.file=FILE] [-config.expand-env=true] [-version]\n"
          "              [-server.http-listen-port=N] [-common.path-prefix=DIR] "
          "[-log.level=LEVEL] [-auth.enabled]\n");
}

}  // namespace

int main(int argc, char** argv) {
  auto flags = fenrir::server::ParseFlags(argc, argv);
  if (!flags.ok()) {
    fprintf(stderr, "%s\n", flags.status().message().c_str());
    Usage();
    return 2;
  }
  if (flags->help) {
    Usage();
    return 0;
  }
  if (flags->version) {
    printf("fenrir, version %s\n", FENRIR_VERSION);
    return 0;
  }
  std::vector<std::string> warnings;
  auto config = fenrir::server::LoadConfig(*flags, &warnings);
  for (const auto& w : warnings) Log(LogLevel::kWarn, w);
  if (!config.ok()) {
    Log(LogLevel::kError, config.status().message());
    return 1;
  }
  LogLevel level;
  if (fenrir::server::ParseLogLevel(config->log_level, &level)) {
    fenrir::server::SetLogLevel(level);
  }

  // Block the stop signals in every thread; a dedicated thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto server = fenrir::server::Server::Create(*config);
  if (!server.ok()) {
    Log(LogLevel::kError, "cannot start: " + server.status().message());
    return 1;
  }
  fenrir::server::Server* s = server->get();
  // Joined before the server is destroyed: Stop() may still be inside asio::post when the drain
  // it starts has already made Run() return (a use-after-free ThreadSanitizer found when the
  // thread was detached). When the server stops for another reason, main wakes it with a
  // thread-directed SIGTERM (blocked everywhere, so it only ends the sigwait).
  std::atomic<bool> run_returned{false};
  std::thread signal_thread([s, stop_signals, &run_returned] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    if (run_returned.load()) return;
    Log(LogLevel::kInfo, sig == SIGTERM ? "received SIGTERM" : "received SIGINT");
    s->Stop();
  });
  (*server)->Run();
  run_returned = true;
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  server->reset();  // closes the store (flushes)
  Log(LogLevel::kInfo, "bye");
  return 0;
}
