#pragma once
// Serves the built web UI (web/dist): files by path, index.html for any other non-API path
// so client-side routes work on reload. Hashed assets are cached for a year.
#include <map>
#include <mutex>
#include <string>

#include "http/message.h"

namespace moyakko::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::string root);
  Response Serve(const Request& request);
  bool available() const;

 private:
  std::string root_;
  std::mutex mutex_;
  std::map<std::string, std::string> cache_;  // relative path → contents
};

}  // namespace moyakko::http
