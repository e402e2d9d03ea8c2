// One scan as a context and the passes over it. app::scan() runs them in order; a long-running
// caller (a server, a nightly run that keeps state) can hold a context and run the passes itself.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "input_diagnostics.h"
#include "input_stream.h"
#include "vector_source.h"
#include "vetter/app/scan.h"
#include "vetter/enrich/enricher.h"
#include "vetter/enrich/gazetteer.h"
#include "vetter/enrich/geoip.h"
#include "vetter/enrich/ip_lists.h"
#include "vetter/identity/directory.h"
#include "vetter/sources/source.h"

namespace vetter::app {

// Everything one scan holds between its passes. Members are declared in the order they are needed:
// the input streams come last, so that their threads (joined when the streams are destroyed) never
// outlive the directory, the databases and the diagnostics they use.
struct ScanContext {
  ScanContext(const Config& scan_config, model::Diagnostics& scan_diags, ScanOutput& scan_out)
      : config(scan_config),
        diags(scan_diags),
        out(scan_out),
        input_diags(scan_diags, scan_out.run.bad_examples) {}
  ScanContext(const ScanContext&) = delete;
  ScanContext& operator=(const ScanContext&) = delete;

  const Config& config;
  model::Diagnostics& diags;
  ScanOutput& out;  // the rules, the score accumulator and the run summary live here

  // Pass 1: what the scan reads with.
  sources::Catalog catalog;
  std::unique_ptr<enrich::GeoIp> geoip;
  std::unique_ptr<enrich::Gazetteer> gazetteer;  // optional: distance from home
  enrich::IpLists ip_lists;
  std::vector<PlannedInput> planned;

  // Pass 2: the HR directory (complete and read-only once pass 2 is done) and the HR records.
  InputDiagnostics input_diags;  // the input threads' reports
  identity::Directory directory;
  VectorSource hr_source;

  // What the inputs gave, over passes 2 and 3.
  std::size_t yielded_nothing = 0;  // inputs with no file, or that gave nothing (W-INPUT-NOTHING)
  bool unreadable = false;

  // Pass 3: accounts the logs name that HR does not know, and the newest log event.
  std::set<std::string, std::less<>> unknown;  // transparent: looked up by string_view
  std::int64_t data_end_us = 0;                // what score decay is measured from
  double rules_ms = 0;                         // this thread's rule time, estimated

  // One stream per input, each with the input it reads.
  struct Stream {
    std::unique_ptr<InputStream> stream;
    const PlannedInput* plan = nullptr;
  };
  std::vector<Stream> hr_streams, log_streams;

  // The per-event work of the stream threads: identity resolution and enrichment (one Enricher per
  // thread: it caches per IP), and the detection rules.
  StreamOptions::Prepare make_prepare();
  StreamOptions::Prepare make_match();
};

// Pass 1: source definitions, rules, GeoIP databases, the gazetteer, IP lists, and every input
// planned. False on any error (a usage error: nothing was read).
bool load_setup(ScanContext& ctx);
// Creates one stream per planned input (none is started).
void open_streams(ScanContext& ctx);
// Pass 2: HR inputs, read whole, so that every worker's profile and aliases exist before the first
// sign-in is judged. False when identity numbers were mapped without an HMAC key (a usage error).
bool read_hr(ScanContext& ctx);
// Pass 3: every other input, streamed: stream threads read, map, resolve identities and enrich;
// the calling thread merges by time and runs the rules into the score accumulator.
void stream_logs(ScanContext& ctx, const ProgressFn& progress);
// Pass 4: scores, ranks and clusters into ctx.out.scores.
void score_accounts(ScanContext& ctx);
// Pass 5: the exit code: bad input (unreadable, `strict` with an input that gave nothing, more bad
// records than the limits allow) before the verdict.
int exit_code(ScanContext& ctx);

}  // namespace vetter::app
