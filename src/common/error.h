#pragma once
// The error policy: expected failures (bad input, no access, not found, a database that is
// down) are `Error` values carrying a code, a message meant for the client and, when the
// failure is about one input, the field's name. Code that must abort a request throws
// `Failure`; the HTTP layer's one error boundary maps both to a status and the JSON body
// {"error":{"code","message","field"}}. Internal details (SQL, library messages) never go
// into `message`; they are logged at the boundary as `internal`.
#include <stdexcept>
#include <string>

namespace moyakko {

enum class ErrorCode {
  kInvalidArgument,   // 400
  kUnauthenticated,   // 401
  kForbidden,         // 403
  kNotFound,          // 404
  kConflict,          // 409
  kPayloadTooLarge,   // 413
  kTooManyRequests,   // 429
  kUnavailable,       // 503: database unreachable, retry later
  kInternal,          // 500
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string slug;      // machine-readable, e.g. "invalid_json", "forbidden"
  std::string message;   // for the client; no secrets, no personal data
  std::string field;     // the offending input, when there is one
  std::string internal;  // for the log only
};

// Thrown to abort the current request (or CLI command) with `error`.
class Failure : public std::runtime_error {
 public:
  explicit Failure(Error error) : std::runtime_error(error.slug), error_(std::move(error)) {}
  const Error& error() const { return error_; }

 private:
  Error error_;
};

[[noreturn]] inline void Fail(ErrorCode code, std::string slug, std::string message,
                              std::string field = {}) {
  throw Failure(Error{code, std::move(slug), std::move(message), std::move(field), {}});
}

int HttpStatus(ErrorCode code);

}  // namespace moyakko
