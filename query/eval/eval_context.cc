#include "query/eval/eval_context.h"

namespace fenrir::query {

Status QueryTimeoutError() {
  return Status::DeadlineExceeded("context deadline exceeded");
}

Status EvalContext::CheckDeadline() const {
  if (Expired()) return QueryTimeoutError();
  return Status::OK();
}

}  // namespace fenrir::query
