// Birth dates as municipal files write them (1940/03/02, 昭和15年3月2日, S15.03.02, …): any
// text gives either nothing or a real calendar date.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/clock.h"
#include "disaster/ledger.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto date = moyakko::disaster::ParseBirthDate(text); date && !moyakko::IsCalendarDate(*date)) __builtin_trap();
  return 0;
}
