#include "server/push_handler.h"

#include "server/push_request.h"
#include "server/tenant.h"

namespace fenrir::server {

HttpResponse HandlePush(const ServerContext& ctx, const HttpRequest& request, bool legacy) {
  auto tenant = ResolveTenant(request, ctx.config->auth_enabled);
  if (!tenant.ok()) return ErrorResponse(tenant.status(), true);
  RawPush push;
  Status st = DecodePushRequest(request, legacy, ctx.config->max_decompressed_body_bytes, &push);
  if (!st.ok()) return ErrorResponse(Status::InvalidArgument(st.message()), true);
  st = ctx.distributor->Push(*tenant, std::move(push));
  if (!st.ok()) return ErrorResponse(st, true);
  return HttpResponse::NoContent();
}

}  // namespace fenrir::server
