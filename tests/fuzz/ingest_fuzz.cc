// A sensor gateway's upload on any bytes: decoded into readings or refused with a 4xx
// Failure, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/error.h"
#include "watch/readings.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  try {
    moyakko::watch::DecodeIngestBatch(body, 1795000000000);
  } catch (const moyakko::Failure& failure) {
    int status = moyakko::HttpStatus(failure.error().code);
    if (status < 400 || status >= 500) __builtin_trap();
  }
  return 0;
}
