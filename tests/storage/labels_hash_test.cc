// Labels::Hash is the series id persisted in every key: it must stay the XXH3-64 of
// "name 0xff value 0xff" per label, whatever way it is computed.

#include <xxhash.h>

#include <catch2/catch.hpp>

#include "storage/labels.h"

namespace fenrir::storage {
namespace {

uint64_t StreamingHash(const Labels& labels) {
  XXH3_state_t* st = XXH3_createState();
  XXH3_64bits_reset(st);
  const char sep = '\xff';
  for (const auto& l : labels) {
    XXH3_64bits_update(st, l.name.data(), l.name.size());
    XXH3_64bits_update(st, &sep, 1);
    XXH3_64bits_update(st, l.value.data(), l.value.size());
    XXH3_64bits_update(st, &sep, 1);
  }
  uint64_t h = XXH3_64bits_digest(st);
  XXH3_freeState(st);
  return h;
}

TEST_CASE("label hash equals the streaming XXH3 of the pairs", "[labels]") {
  CHECK(Labels().Hash() == StreamingHash(Labels()));
  for (int i = 0; i < 500; ++i) {  // short and long inputs cross XXH3's size classes
    Labels l({Label{"app", std::string(static_cast<size_t>(i), 'v')},
              Label{"job", "j" + std::to_string(i)}});
    INFO("value length " << i);
    REQUIRE(l.Hash() == StreamingHash(l));
  }
  CHECK(Labels({Label{"a", "bc"}}).Hash() != Labels({Label{"ab", "c"}}).Hash());
}

}  // namespace
}  // namespace fenrir::storage
