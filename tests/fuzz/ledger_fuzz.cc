// The municipal ledger reader on any bytes: a file is either refused whole with a 4xx
// Failure or read into records and problems that name records of the file — never a crash,
// a hang or a leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/error.h"
#include "disaster/ledger.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    auto ledger = moyakko::disaster::ParseLedger(bytes, moyakko::disaster::Encoding::kAuto, {}, "2026-11-27");
    if (ledger.valid.size() > static_cast<std::size_t>(ledger.rows)) __builtin_trap();
    for (const auto& record : ledger.valid) {
      if (record.row < 1 || record.row > ledger.rows) __builtin_trap();
    }
    for (const auto& error : ledger.errors) {
      if (error.row < 1 || error.row > ledger.rows) __builtin_trap();
    }
  } catch (const moyakko::Failure& failure) {
    int status = moyakko::HttpStatus(failure.error().code);
    if (status < 400 || status >= 500) __builtin_trap();  // a bad file is the sender's problem
  }
  return 0;
}
