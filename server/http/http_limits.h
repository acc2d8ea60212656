#pragma once
// The sizes a client controls on the wire and the limit Fenrir answers each with. Every limit
// sits at or below the point where Boost.Beast itself would fail (Beast stores a field name or
// value in 16 bits and throws std::length_error past that), so a request over a limit becomes a
// 4xx answer and never an exception (issue 17; docs/reliability.md has the table).

#include <cstddef>

namespace fenrir::server {

// Request line plus all header fields plus the blank line: Go's http.DefaultMaxHeaderBytes,
// which Loki serves with. Over it: 431.
inline constexpr size_t kMaxHeaderBytes = 1 << 20;

// One header field's name or value: the most Beast's basic_fields can hold (65,535 minus the
// two bytes of ": " it stores with each). Over it: 431.
inline constexpr size_t kMaxHeaderFieldBytes = 65'533;

// Header fields in one request (Go has no count limit but the byte limit above; Apache's is 100).
// Over it: 431.
inline constexpr size_t kMaxHeaderFields = 1'000;

// A chunk's extensions (`;name=value` after the chunk size): Go rejects chunk lines over 4 KiB
// ("chunked line too long"). Over it: 400.
inline constexpr size_t kMaxChunkExtensionBytes = 4'096;

// Bytes a connection buffers beyond what the parser has consumed: bounds chunk-size lines and
// trailers, which Beast would otherwise buffer without limit. A header never needs more than
// kMaxHeaderBytes; body bytes are moved into the body as they arrive. Over it: 400.
inline constexpr size_t kMaxConnectionBuffer = kMaxHeaderBytes + (64 << 10);

// One WebSocket message from a tail client. Clients send nothing but control frames; Beast's
// default (16 MiB) would let one connection buffer that much. Over it: close 1009.
inline constexpr size_t kMaxWebsocketMessageBytes = 64 << 10;

}  // namespace fenrir::server
