#pragma once
// Helpers shared by the block codec's version 1 and version 2 files (block_codec*.cc): the
// header layout common to both versions, the checksum and zstd framing. Not a public interface.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/block_codec.h"
#include "base/status.h"

namespace fenrir::storage::block_internal {

constexpr uint8_t kFlagMetadata = 1;
constexpr uint8_t kFlagFilter = 2;
constexpr uint8_t kFlagTimestampsZstd = 4;  // v2: the timestamp column is a zstd frame
constexpr uint8_t kFlagLengthsZstd = 8;     // v2: the line-length column is a zstd frame

// Offsets inside the fixed header, equal in both versions.
constexpr size_t kOffVersion = 4;
constexpr size_t kOffFlags = 5;
constexpr size_t kOffChecksum = 8;
constexpr size_t kOffEntries = 16;
constexpr size_t kOffRawBytes = 20;
constexpr size_t kOffMinTs = 24;
constexpr size_t kOffMaxTs = 32;
constexpr size_t kOffSections = 40;  // u32 section lengths follow

// Covers every byte but the checksum field: the first 8 bytes seed the hash of the rest.
uint64_t Checksum(std::string_view block);

// Writes magic, version, flags, counts and the checksum into the first bytes of *block, whose
// section lengths are already in place.
void FinishHeader(uint8_t version, uint8_t flags, const BlockInfo& info, std::string* block);

// Appends a zstd frame of `raw` to *out and returns its size.
uint32_t AppendCompressed(std::string_view raw, int level, std::string* out);

// Decompresses one zstd frame into *out. Nothing in the frame is trusted: its declared content
// size must fit `max_size` and what `frame` can hold at all (3-byte zstd block headers of at
// most 128 KiB each), so a small corrupt frame cannot make us allocate gigabytes.
Status Decompress(std::string_view frame, uint64_t max_size, std::string* out);

// Decodes a structured-metadata column (one zstd frame of `n` label sets) into *out.
Status DecodeMetadataColumn(std::string_view frame, size_t n, std::vector<Labels>* out);

// Decompresses one zstd frame of exactly `size` bytes into dst.
Status DecompressExact(std::string_view frame, char* dst, size_t size);

// Splits a verified block into its `count` sections after `header_size` bytes.
Status SplitSections(std::string_view data, size_t header_size, int count,
                     std::string_view* sections);

}  // namespace fenrir::storage::block_internal
