// The TZif reader lives in model (sources read vendor wall-clock times with it); enrich keeps
// using it under its old names.
#pragma once

#include "vetter/model/time_zone.h"

namespace vetter::enrich {

using model::find_time_zone;
using model::local_time;
using model::LocalTime;
using model::PosixRule;
using model::TimeZone;

}  // namespace vetter::enrich
