#pragma once
// Tenant resolution from X-Scope-OrgID (Loki §3.4).

#include <string>
#include <string_view>

#include "server/http/http_types.h"
#include "base/status.h"

namespace fenrir::server {

// auth off: always "fake". auth on: the header is required (Unauthenticated "no org id"),
// must name one tenant (InvalidArgument "multiple org IDs present") and satisfy Loki's rules:
// [A-Za-z0-9!._*'()-], at most 150 characters, not "." or "..".
Result<std::string> ResolveTenant(const HttpRequest& request, bool auth_enabled);

// Validates one tenant id with dskit's messages.
Status ValidateTenantId(std::string_view id);

}  // namespace fenrir::server
