#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace moyakko::http {
namespace {

std::string ContentType(const std::string& path) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
      {".png", "image/png"},                 {".json", "application/json"},
      {".ico", "image/x-icon"},              {".woff2", "font/woff2"},
      {".webmanifest", "application/manifest+json"}, {".txt", "text/plain; charset=utf-8"}};
  auto it = types.find(std::filesystem::path(path).extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

}  // namespace

StaticFiles::StaticFiles(std::string root) : root_(std::move(root)) {}

bool StaticFiles::available() const { return std::filesystem::exists(std::filesystem::path(root_) / "index.html"); }

Response StaticFiles::Serve(const Request& request) {
  std::string relative = request.path.substr(1);
  // No "..", no hidden files, no absolute paths: anything odd gets the app shell.
  bool plain = !relative.empty() && relative.find("..") == std::string::npos &&
               relative.find("/.") == std::string::npos && relative.front() != '.' &&
               relative.find('\\') == std::string::npos && relative.find('\0') == std::string::npos;
  std::filesystem::path root(root_);
  if (!plain || !std::filesystem::is_regular_file(root / relative)) relative = "index.html";
  Response response;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = cache_.find(relative);
    if (it == cache_.end()) {
      std::ifstream file(root / relative, std::ios::binary);
      if (!file) {
        response.status = 404;
        response.content_type = "text/plain; charset=utf-8";
        response.body = "web UI not built: run scripts/demo.sh or npm run build in web/";
        return response;
      }
      std::ostringstream contents;
      contents << file.rdbuf();
      it = cache_.emplace(relative, contents.str()).first;
    }
    response.body = it->second;
  }
  response.content_type = ContentType(relative);
  response.headers.emplace_back("Cache-Control", relative.starts_with("assets/")
                                                     ? "public, max-age=31536000, immutable"
                                                     : "no-cache");
  return response;
}

}  // namespace moyakko::http
