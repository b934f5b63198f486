#pragma once
// ここのーと in the demo town: two children with medical care needs (医療的ケア児) registered
// with their pediatric teams — 山崎 陽向's includes the school nurse of 萩山台小学校
// (sch.uchida), 古川 結衣's the day-care staff but not the school — with two weeks of what
// their parents and carers recorded; and a week of 伊藤 とし's records by her daughter, with
// the elderly preset. Values out of range reach the teams' timelines as they would have.
#include "common/clock.h"
#include "store/database.h"

namespace moyakko::demo {

struct LifeRecordsDemo {
  int patients = 0, records = 0;
};

// Needs the care network (AddCareNetwork) and the family links in place.
LifeRecordsDemo AddLifeRecords(store::Database& db, UnixMillis now);

}  // namespace moyakko::demo
