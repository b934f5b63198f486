#include "watch/ingest_writer.h"

#include "watch/monitor.h"

namespace moyakko::watch {

IngestOutcome IngestWriter::Submit(const DeviceIdentity& device, const std::vector<Reading>& readings, UnixMillis now) {
  IngestOutcome outcome;
  commits_.Run([&](store::Session& s) {
    std::optional<store::Row> facts;
    outcome.stored = StoreReadings(s, device, readings, now, &facts);
    outcome.alerts_opened = EvaluateHousehold(s, device.household_id, now, false, facts ? &*facts : nullptr);
  }, device.household_id);
  return outcome;
}

}  // namespace moyakko::watch
