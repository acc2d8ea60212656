#include "storage/delete_request.h"

#include "storage/coding.h"

namespace fenrir::storage {

namespace {
constexpr uint8_t kRecordVersion = 1;
}  // namespace

DeleteFilter DeleteFilter::Lines(std::vector<Matcher> matchers,
                                 std::function<bool(std::string_view line)> line_matches) {
  DeleteFilter f;
  f.matchers = std::move(matchers);
  if (line_matches) {
    f.for_stream = [line_matches](const Labels&) -> DeletePredicate {
      return [line_matches](int64_t, std::string_view line, const Labels&) {
        return line_matches(line);
      };
    };
  }
  return f;
}

std::string_view DeleteStatusName(DeleteStatus status) {
  return status == DeleteStatus::kProcessed ? "processed" : "received";
}

void EncodeDeleteRequest(const DeleteRequest& r, std::string* dst) {
  dst->push_back(static_cast<char>(kRecordVersion));
  PutLengthPrefixed(dst, r.id);
  PutLengthPrefixed(dst, r.tenant);
  PutLengthPrefixed(dst, r.query);
  PutFixed64BE(dst, static_cast<uint64_t>(r.start_ns));
  PutFixed64BE(dst, static_cast<uint64_t>(r.end_ns));
  PutFixed64BE(dst, static_cast<uint64_t>(r.created_ns));
  dst->push_back(r.status == DeleteStatus::kProcessed ? 1 : 0);
  PutFixed64BE(dst, static_cast<uint64_t>(r.processed_ns));
}

Status DecodeDeleteRequest(std::string_view in, DeleteRequest* r) {
  auto bad = [] { return Status::Corruption("delete request: malformed record"); };
  if (in.empty() || static_cast<uint8_t>(in[0]) != kRecordVersion) return bad();
  in.remove_prefix(1);
  std::string_view id, tenant, query;
  if (!GetLengthPrefixed(&in, &id) || !GetLengthPrefixed(&in, &tenant) ||
      !GetLengthPrefixed(&in, &query)) {
    return bad();
  }
  if (in.size() != 8 * 3 + 1 + 8) return bad();
  r->id = std::string(id);
  r->tenant = std::string(tenant);
  r->query = std::string(query);
  r->start_ns = static_cast<int64_t>(DecodeFixed64BE(in.data()));
  r->end_ns = static_cast<int64_t>(DecodeFixed64BE(in.data() + 8));
  r->created_ns = static_cast<int64_t>(DecodeFixed64BE(in.data() + 16));
  uint8_t status = static_cast<uint8_t>(in[24]);
  if (status > 1) return bad();
  r->status = status == 1 ? DeleteStatus::kProcessed : DeleteStatus::kReceived;
  r->processed_ns = static_cast<int64_t>(DecodeFixed64BE(in.data() + 25));
  return Status::OK();
}

std::string DeleteRequestPrefix() {
  std::string k;
  k.push_back('\0');
  k.append(4, '\xff');
  k.push_back('D');
  return k;
}

std::string DeleteRequestKey(std::string_view tenant, std::string_view id) {
  std::string k = DeleteRequestPrefix();
  k.append(tenant);
  k.push_back('\0');
  k.append(id);
  return k;
}

}  // namespace fenrir::storage
