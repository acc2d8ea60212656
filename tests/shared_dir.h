#pragma once
// Where the shared test material lives: ../shared beside the checkout (as CI lays it out),
// or FENRIR_SHARED_DIR.

#include <cstdlib>
#include <string>

namespace fenrir::testing {

inline std::string SharedDir() {
  if (const char* env = std::getenv("FENRIR_SHARED_DIR"); env && *env) return env;
  return std::string(FENRIR_SOURCE_DIR) + "/../shared";
}

}  // namespace fenrir::testing
