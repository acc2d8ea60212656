// Push body handling: Content-Type / Content-Encoding selection and decompression
// (protobuf decoding: server/push/push_proto.cc).

#include <snappy.h>
#include <zlib.h>

#include <algorithm>

#include "server/push/push_request.h"

namespace fenrir::server {

namespace {

Status TooLarge(size_t max_bytes) {
  return Status::InvalidArgument("decompressed request body exceeds the limit of " +
                                 std::to_string(max_bytes) + " bytes");
}

// window_bits: 15+16 gzip, -15 raw deflate, 15 zlib.
Status Inflate(std::string_view in, int window_bits, size_t max_bytes, std::string* out,
               const char* what) {
  z_stream zs{};
  if (inflateInit2(&zs, window_bits) != Z_OK) return Status::Internal("inflateInit2 failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  out->clear();
  char buf[64 * 1024];
  int ret = Z_OK;
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    ret = inflate(&zs, Z_NO_FLUSH);
    size_t produced = sizeof buf - zs.avail_out;
    if (out->size() + produced > max_bytes) {
      inflateEnd(&zs);
      return TooLarge(max_bytes);
    }
    out->append(buf, produced);
    if (ret == Z_STREAM_END) {
      // gzip allows concatenated members (Go's reader reads them all).
      if (window_bits > 15 && zs.avail_in > 0) {
        inflateReset(&zs);
        continue;
      }
      break;
    }
    if (ret != Z_OK && ret != Z_BUF_ERROR) break;
    if (ret == Z_BUF_ERROR && zs.avail_in == 0) break;
  }
  inflateEnd(&zs);
  if (ret != Z_STREAM_END) {
    return Status::InvalidArgument(std::string(what) + ": " +
                                   (ret == Z_BUF_ERROR ? "unexpected EOF" : "invalid header"));
  }
  return Status::OK();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Status SnappyDecode(std::string_view body, size_t max_bytes, std::string* out) {
  size_t len = 0;
  if (!snappy::GetUncompressedLength(body.data(), body.size(), &len)) {
    return Status::InvalidArgument("snappy: corrupt input");
  }
  if (len > max_bytes) return TooLarge(max_bytes);
  if (!snappy::Uncompress(body.data(), body.size(), out)) {
    return Status::InvalidArgument("snappy: corrupt input");
  }
  return Status::OK();
}

Status DecodeContentEncoding(std::string_view encoding, std::string_view body, size_t max_bytes,
                             std::string* out) {
  encoding = Trim(encoding);
  if (encoding == "gzip" || encoding == "x-gzip") {
    return Inflate(body, 15 + 16, max_bytes, out, "gzip");
  }
  if (encoding == "deflate") {
    // Go's compress/flate reads raw deflate; accept zlib-wrapped streams too.
    Status st = Inflate(body, -15, max_bytes, out, "flate");
    if (!st.ok() && st.message().find("exceeds") == std::string::npos) {
      Status z = Inflate(body, 15, max_bytes, out, "flate");
      if (z.ok()) return z;
    }
    return st;
  }
  if (encoding.empty() || encoding == "snappy" || encoding == "identity") {
    out->assign(body);
    return Status::OK();
  }
  return Status::InvalidArgument("Content-Encoding \"" + std::string(encoding) +
                                 "\" not supported");
}

Status DecodePushRequest(const HttpRequest& request, bool legacy, size_t max_decoded_bytes,
                         RawPush* out) {
  std::string_view content_type = request.Header("content-type");
  content_type = Trim(content_type.substr(0, content_type.find(';')));
  if (content_type.empty()) return Status::InvalidArgument("mime: no media type");
  std::string media(content_type);
  std::transform(media.begin(), media.end(), media.begin(),
                 [](unsigned char c) { return static_cast<char>(tolower(c)); });
  std::string_view encoding = Trim(request.Header("content-encoding"));
  std::string decoded;
  std::string_view body = request.body;
  if (!encoding.empty() && encoding != "snappy") {
    FENRIR_RETURN_IF_ERROR(DecodeContentEncoding(encoding, body, max_decoded_bytes, &decoded));
    body = decoded;
  }
  if (media == "application/json") {
    // Tolerance: a snappy-compressed JSON body (Loki would fail to parse it).
    std::string unsnappied;
    if (encoding == "snappy" && !body.empty() && body.front() != '{' &&
        body.front() != ' ' && body.front() != '\n' &&
        SnappyDecode(body, max_decoded_bytes, &unsnappied).ok()) {
      return legacy ? DecodeLegacyJsonPush(unsnappied, out) : DecodeJsonPush(unsnappied, out);
    }
    return legacy ? DecodeLegacyJsonPush(body, out) : DecodeJsonPush(body, out);
  }
  std::string raw;
  FENRIR_RETURN_IF_ERROR(SnappyDecode(body, max_decoded_bytes, &raw));
  return DecodeProtoPush(raw, out);
}

}  // namespace fenrir::server
