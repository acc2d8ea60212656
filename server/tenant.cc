#include "server/tenant.h"

namespace fenrir::server {

Status ValidateTenantId(std::string_view id) {
  if (id.size() > 150) return Status::InvalidArgument("tenant ID is too long: max 150 characters");
  if (id == "." || id == "..") return Status::InvalidArgument("invalid tenant ID");
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '!' || c == '-' || c == '_' || c == '.' || c == '*' || c == '\'' ||
              c == '(' || c == ')';
    if (!ok) {
      return Status::InvalidArgument("tenant ID '" + std::string(id) +
                                     "' contains unsupported character '" + std::string(1, c) +
                                     "'");
    }
  }
  return Status::OK();
}

Result<std::string> ResolveTenant(const HttpRequest& request, bool auth_enabled) {
  if (!auth_enabled) return std::string("fake");
  std::string_view org = request.Header("x-scope-orgid");
  if (org.empty()) return Status::Unauthenticated("no org id");
  if (org.find('|') != std::string_view::npos) {
    return Status::InvalidArgument("multiple org IDs present");
  }
  FENRIR_RETURN_IF_ERROR(ValidateTenantId(org));
  return std::string(org);
}

}  // namespace fenrir::server
