#include "server/push/push_handler.h"

#include "server/push/push_request.h"
#include "server/tenant.h"

namespace fenrir::server {

HttpResponse HandlePush(const ServerContext& ctx, const HttpRequest& request, bool legacy) {
  auto tenant = ResolveTenant(request, ctx.config->auth_enabled);
  if (!tenant.ok()) return ErrorResponse(tenant.status(), true);
  RawPush push;
  Status st = DecodePushRequest(request, legacy, ctx.config->max_decompressed_body_bytes, &push);
  if (!st.ok()) return ErrorResponse(Status::InvalidArgument(st.message()), true);
  if (ctx.disk_guard) {
    uint64_t bytes = 0;
    for (const RawStream& s : push.streams) {
      bytes += s.labels.size();
      for (const RawEntry& e : s.entries) bytes += e.line.size() + sizeof(e.timestamp_ns);
    }
    st = ctx.disk_guard->Check(bytes);
    if (!st.ok()) return ErrorResponse(st, true);
  }
  st = ctx.distributor->Push(*tenant, std::move(push));
  if (!st.ok()) return ErrorResponse(st, true);
  return HttpResponse::NoContent();
}

}  // namespace fenrir::server
