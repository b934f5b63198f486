#pragma once
// A blocking HTTP/1.1 client for tests: one request per call on a fresh connection.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace moyakko::testing {

struct HttpReply {
  int status = 0;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string Header(const std::string& lower_name) const;
};

HttpReply HttpCall(std::uint16_t port, const std::string& method, const std::string& target,
                   const std::string& body = "",
                   const std::vector<std::pair<std::string, std::string>>& headers = {});

}  // namespace moyakko::testing
