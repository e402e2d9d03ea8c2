// Read+map throughput of the ingest/sources hot path against baselines measured in the same run
// (line splitting, simdjson, nlohmann/json), and the wall time and peak RSS of a whole `vetter
// scan`.
//
// Build and run (Release):
//   cmake -S . -B build-perf -G Ninja -DCMAKE_BUILD_TYPE=Release
//   ninja -C build-perf bench_pipeline vetter
//   tools/gen_samples.py --workers 100000 --plain --out /tmp/corpus
//   build-perf/tests/bench/bench_pipeline stages --jsonl /tmp/corpus/okta.jsonl
//       --syslog /tmp/corpus/asa.log
//   build-perf/tests/bench/bench_pipeline scan build-perf/vetter scan --config ...
//       (any vetter arguments after the binary)
//   build-perf/tests/bench/bench_pipeline cores [--rounds N] build-perf/vetter scan --config ...
//       (the same scan on one CPU with --threads 1 and on all with --threads N, alternating)
//   build-perf/tests/bench/bench_pipeline okta-scan --jsonl /tmp/corpus/okta.jsonl
//       [--hr /tmp/corpus/hr.csv] [--threads 1] [--repeat N] [--defs DIR]
// `okta-scan` runs the whole scan (app::scan: read, map, merge, identity, enrich, the shipped rule
// pack, scoring) over one JSON Lines input in this process, next to the raw simdjson parses of the
// same bytes, and prints the ratio: the "end-to-end >= 50% of simdjson" target.
// Options of `stages`: --defs DIR (rules/sources), --repeat N (best of N, default 1),
// --compare-source NAME (a second syslog definition in DIR, e.g. the old one, measured against
// --syslog-source in the same run),
// --threads LIST (comma separated stream thread counts, default "1,2"), --baselines 0 (only the
// InputStream stages, for profiling).
#include <sched.h>
#include <simdjson.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "input_stream.h"
#include "vetter/app/config.h"
#include "vetter/app/scan.h"
#include "vetter/ingest/reader.h"
#include "vetter/sources/source.h"

using namespace vetter;

// Every C++ heap allocation of this process is counted (operator new replaced below), so each
// stage can say how many it makes per event: the issue wants none per event in steady state.
namespace {
std::atomic<std::uint64_t> g_allocations{0};
}  // namespace

// The replacements pair malloc with free; GCC cannot see that they are the pair and warns.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  return ::operator new(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return ::operator new(size, tag);
}
void* operator new(std::size_t size, std::align_val_t align) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  const auto a = static_cast<std::size_t>(align);
  if (void* p = std::aligned_alloc(a, (size + a - 1) / a * a)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size, std::align_val_t align) {
  return ::operator new(size, align);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
#pragma GCC diagnostic pop

namespace {

const std::string kRoot = VETTER_SOURCE_DIR;

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

long peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// Counts diagnostics without keeping them, so a corpus with bad lines does not grow memory.
class CountDiags : public model::Diagnostics {
 public:
  void report(model::Diagnostic d) override {
    std::lock_guard lock(mutex_);
    if (count_++ < 3) std::fprintf(stderr, "  diag: %s\n", model::format(d).c_str());
  }
  std::size_t count() const { return count_; }

 private:
  std::mutex mutex_;
  std::size_t count_ = 0;
};

// Calls `on_line` for every line of `path` (without "\n"); a plain fread+memchr splitter.
std::uint64_t for_each_line(const std::string& path,
                            const std::function<void(std::string_view)>& on_line) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    std::perror(path.c_str());
    std::exit(2);
  }
  constexpr std::size_t kBuf = 1 << 20;
  std::vector<char> buf(kBuf * 2);
  std::size_t have = 0;
  std::uint64_t bytes = 0;
  for (;;) {
    std::size_t got = std::fread(buf.data() + have, 1, buf.size() - have, f);
    bytes += got;
    have += got;
    std::size_t pos = 0;
    for (;;) {
      const void* nl = std::memchr(buf.data() + pos, '\n', have - pos);
      if (nl == nullptr) break;
      std::size_t end = static_cast<const char*>(nl) - buf.data();
      on_line(std::string_view(buf.data() + pos, end - pos));
      pos = end + 1;
    }
    std::memmove(buf.data(), buf.data() + pos, have - pos);
    have -= pos;
    if (got == 0) break;
    if (have == buf.size()) buf.resize(buf.size() * 2);
  }
  if (have > 0) on_line(std::string_view(buf.data(), have));
  std::fclose(f);
  return bytes;
}

double cpu_s() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
         usage.ru_stime.tv_usec / 1e6;
}

struct Figure {
  std::string name;
  double seconds = 0;
  double cpu = 0;  // CPU seconds of all threads: on a shared machine the wall clock lies
  std::uint64_t bytes = 0;
  std::uint64_t items = 0;
  std::uint64_t allocations = 0;  // C++ heap allocations during the stage, setup included
};

std::vector<Figure> figures;

void run(const std::string& name, int repeat, const std::function<Figure()>& body) {
  Figure best;
  for (int r = 0; r < repeat; ++r) {
    double t0 = now_s(), c0 = cpu_s();
    const std::uint64_t a0 = g_allocations.load();
    Figure f = body();
    f.seconds = now_s() - t0;
    f.cpu = cpu_s() - c0;
    f.allocations = g_allocations.load() - a0;
    if (r == 0 || f.seconds < best.seconds) best = f;
  }
  best.name = name;
  std::printf(
      "%-34s %8.2f s %9.1f MB/s %11.0f ev/s  cpu %7.2f s (%6.1f MB/cpu-s)  items=%llu  "
      "allocs/item=%.2f  rss=%ld MB\n",
      name.c_str(), best.seconds, best.bytes / best.seconds / 1e6, best.items / best.seconds,
      best.cpu, best.bytes / best.cpu / 1e6, static_cast<unsigned long long>(best.items),
      best.items ? static_cast<double>(best.allocations) / best.items : 0.0, peak_rss_kb() / 1024);
  std::fflush(stdout);
  figures.push_back(best);
}

double rate(const std::string& name) {
  for (const Figure& f : figures)
    if (f.name == name) return f.bytes / f.seconds;
  return 0;
}

double cpu_rate(const std::string& name) {
  for (const Figure& f : figures)
    if (f.name == name) return f.bytes / f.cpu;
  return 0;
}

// By wall clock, and by CPU seconds (all threads): the single-core figure, and the one that
// holds when other processes take the machine's cores.
void ratio(const std::string& a, const std::string& b) {
  if (rate(a) > 0 && rate(b) > 0)
    std::printf("  %-32s = %5.2fx %s (by cpu %5.2fx)\n", a.c_str(), rate(a) / rate(b), b.c_str(),
                cpu_rate(a) / cpu_rate(b));
}

Figure read_map(const sources::Source& source, const std::string& path) {
  CountDiags diags;
  ingest::ReadStats stats;
  Figure f;
  ingest::read_records(
      path, source.format(),
      [&](ingest::Record&& record) {
        model::Event event;
        if (source.map_record(record, event, diags) == sources::MapResult::kEvent) ++f.items;
      },
      diags, stats);
  f.bytes = stats.bytes;
  return f;
}

// The hot path without the stream around it: one thread, each event dropped once mapped (no
// reorder buffer, so the cost of holding events is left out).
Figure lines_map(const sources::Source& source, const std::string& path) {
  CountDiags diags;
  ingest::ReadStats stats;
  ingest::RecordParser parser;
  ingest::RawRecord raw;
  Figure f;
  model::Event event;
  ingest::read_lines(
      path, source.format(),
      [&](std::string_view text, std::uint64_t line) {
        if (!parser.parse(source.format(), text, model::Origin{path, line}, diags, raw)) return;
        event.clear();  // reused, as the stream reuses one per chunk
        if (source.map_raw(raw, event, diags) == sources::MapResult::kEvent) ++f.items;
      },
      diags, stats);
  f.bytes = stats.bytes;
  return f;
}

Figure stream(std::shared_ptr<const sources::Source> source, const std::string& path, int threads) {
  CountDiags diags;
  app::StreamOptions options;
  options.threads = threads;
  app::InputStream in(std::move(source), {&path}, options, diags);
  in.start();
  Figure f;
  model::Event event;
  while (in.next(event))
    ++f.items;
  for (const report::InputSummary& s : in.summaries())
    f.bytes += s.bytes;
  return f;
}

std::vector<int> parse_list(const std::string& text) {
  std::vector<int> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    out.push_back(std::atoi(text.substr(start, comma - start).c_str()));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// Raw simdjson parses of every line of `path`: the ceiling the scan is measured against.
void simdjson_baselines(const std::string& path, int repeat) {
  run("lines (I/O floor)", repeat, [&] {
    Figure f;
    f.bytes = for_each_line(path, [&](std::string_view) { ++f.items; });
    return f;
  });
  run("simdjson on-demand (top keys)", repeat, [&] {
    Figure f;
    simdjson::ondemand::parser parser;
    simdjson::padded_string buf;
    f.bytes = for_each_line(path, [&](std::string_view line) {
      if (line.empty()) return;
      simdjson::ondemand::document doc;
      if (parser.iterate(line.data(), line.size(), line.size() + simdjson::SIMDJSON_PADDING)
              .get(doc)) {
        // The line buffer is not padded: copy it (what any reader of a stream must do).
        buf = simdjson::padded_string(line);
        if (parser.iterate(buf).get(doc)) return;
      }
      simdjson::ondemand::object obj;
      if (doc.get_object().get(obj)) return;
      std::size_t keys = 0;
      for (auto field : obj) {
        std::string_view key;
        if (field.unescaped_key().get(key)) return;
        ++keys;
      }
      if (keys > 0) ++f.items;
    });
    return f;
  });
  run("simdjson DOM (full parse)", repeat, [&] {
    Figure f;
    simdjson::dom::parser parser;
    f.bytes = for_each_line(path, [&](std::string_view line) {
      simdjson::dom::element doc;
      if (!parser.parse(line.data(), line.size(), true).get(doc)) ++f.items;
    });
    return f;
  });
}

int stages(int argc, char** argv) {
  std::string jsonl, syslog, defs = kRoot + "/rules/sources", json_source = "okta",
                             syslog_source = "asa";
  std::string compare_source;  // a second syslog definition (a baseline), measured in this run
  int repeat = 1;
  bool baselines = true;
  std::vector<int> threads = {1, 2};
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--jsonl")
      jsonl = v;
    else if (k == "--syslog")
      syslog = v;
    else if (k == "--defs")
      defs = v;
    else if (k == "--repeat")
      repeat = std::atoi(v.c_str());
    else if (k == "--threads")
      threads = parse_list(v);
    else if (k == "--json-source")
      json_source = v;
    else if (k == "--baselines")
      baselines = v != "0";
    else if (k == "--syslog-source")
      syslog_source = v;
    else if (k == "--compare-source")
      compare_source = v;
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  CountDiags load_diags;
  sources::Catalog catalog;
  if (!catalog.load_dir(defs, load_diags)) return 2;
  const auto shared = [&](const std::string& name) {
    const sources::Source* s = catalog.find(name);
    if (s == nullptr) {
      std::fprintf(stderr, "no source %s\n", name.c_str());
      std::exit(2);
    }
    return std::make_shared<const sources::Source>(*s);
  };

  if (!jsonl.empty()) {
    std::printf("== JSON Lines: %s (source %s)\n", jsonl.c_str(), json_source.c_str());
    if (baselines) {
      simdjson_baselines(jsonl, repeat);
      run("nlohmann::json parse", repeat, [&] {
        Figure f;
        f.bytes = for_each_line(jsonl, [&](std::string_view line) {
          nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
          if (!j.is_discarded()) ++f.items;
        });
        return f;
      });
      run("vetter read_records+map_record", repeat,
          [&] { return read_map(*catalog.find(json_source), jsonl); });
    }
    run("vetter read_lines+map_raw", repeat,
        [&] { return lines_map(*catalog.find(json_source), jsonl); });
    for (int t : threads) {
      run("vetter InputStream threads=" + std::to_string(t), repeat,
          [&] { return stream(shared(json_source), jsonl, t); });
    }
    ratio("vetter read_records+map_record", "simdjson on-demand (top keys)");
    ratio("vetter read_lines+map_raw", "simdjson on-demand (top keys)");
    ratio("vetter read_lines+map_raw", "simdjson DOM (full parse)");
    ratio("vetter read_lines+map_raw", "vetter read_records+map_record");
    for (int t : threads) {
      const std::string n = "vetter InputStream threads=" + std::to_string(t);
      ratio(n, "simdjson on-demand (top keys)");
      ratio(n, "simdjson DOM (full parse)");
      ratio(n, "nlohmann::json parse");
      ratio(n, "lines (I/O floor)");
    }
    if (threads.size() > 1)
      ratio("vetter InputStream threads=" + std::to_string(threads.back()),
            "vetter InputStream threads=" + std::to_string(threads.front()));
  }

  if (!syslog.empty()) {
    std::printf("== syslog: %s (source %s)\n", syslog.c_str(), syslog_source.c_str());
    if (baselines) {
      run("syslog lines (I/O floor)", repeat, [&] {
        Figure f;
        f.bytes = for_each_line(syslog, [&](std::string_view) { ++f.items; });
        return f;
      });
      run("syslog read_records+map_record", repeat,
          [&] { return read_map(*catalog.find(syslog_source), syslog); });
    }
    run("syslog read_lines+map_raw", repeat,
        [&] { return lines_map(*catalog.find(syslog_source), syslog); });
    if (!compare_source.empty()) {
      run("syslog read_lines+map_raw " + compare_source, repeat,
          [&] { return lines_map(*shared(compare_source), syslog); });
      ratio("syslog read_lines+map_raw", "syslog read_lines+map_raw " + compare_source);
    }
    for (int t : threads) {
      run("syslog InputStream threads=" + std::to_string(t), repeat,
          [&] { return stream(shared(syslog_source), syslog, t); });
    }
    ratio("syslog read_lines+map_raw", "syslog read_records+map_record");
    ratio("syslog read_lines+map_raw", "syslog lines (I/O floor)");
    for (int t : threads)
      ratio("syslog InputStream threads=" + std::to_string(t), "syslog lines (I/O floor)");
    if (threads.size() > 1)
      ratio("syslog InputStream threads=" + std::to_string(threads.back()),
            "syslog InputStream threads=" + std::to_string(threads.front()));
    std::printf("  (lines/s counts every line; events/s above counts mapped events only)\n");
  }
  std::printf("peak RSS %ld MB\n", peak_rss_kb() / 1024);
  return 0;
}

struct Spawned {
  int exit = -1;
  double wall = 0, user = 0, sys = 0;
  long peak_rss_mb = 0;
};

// Runs `args` (a program and its arguments), on the CPUs of `cpus` when given; waits for it.
Spawned spawn(const std::vector<std::string>& args, const cpu_set_t* cpus = nullptr) {
  std::vector<char*> argv;
  for (const std::string& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const double t0 = now_s();
  const pid_t pid = fork();
  if (pid == 0) {
    if (cpus && sched_setaffinity(0, sizeof *cpus, cpus) != 0) std::perror("sched_setaffinity");
    execv(argv[0], argv.data());
    std::perror("execv");
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  Spawned out;
  out.wall = now_s() - t0;
  out.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  out.user = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6;
  out.sys = usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  out.peak_rss_mb = usage.ru_maxrss / 1024;
  return out;
}

void print(const char* what, const Spawned& r) {
  std::printf("%s: exit %d, wall %.2f s, user %.2f s, sys %.2f s, peak RSS %ld MB\n", what, r.exit,
              r.wall, r.user, r.sys, r.peak_rss_mb);
  std::fflush(stdout);
}

// Spawns the given command (a vetter scan) and reports its wall time and peak RSS.
int scan(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_pipeline scan VETTER ARGS...\n");
    return 2;
  }
  print("scan", spawn(std::vector<std::string>(argv + 2, argv + argc)));
  return 0;
}

// The "two threads >= 1.7x one thread" for a whole scan: the same vetter command on one
// CPU with `--threads 1` and on every CPU this process may use with `--threads N`, in alternation
// (rounds), and the ratio of their wall times.
int cores(int argc, char** argv) {
  int first = 2;
  int rounds = 2;
  if (argc > 3 && std::string(argv[2]) == "--rounds") {
    rounds = std::max(1, std::atoi(argv[3]));
    first = 4;
  }
  if (argc <= first) {
    std::fprintf(stderr, "usage: bench_pipeline cores [--rounds N] VETTER scan ARGS...\n");
    return 2;
  }
  cpu_set_t all;
  CPU_ZERO(&all);
  if (sched_getaffinity(0, sizeof all, &all) != 0) {
    std::perror("sched_getaffinity");
    return 1;
  }
  const int n = CPU_COUNT(&all);
  cpu_set_t one;
  CPU_ZERO(&one);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &all)) {
      CPU_SET(cpu, &one);
      break;
    }
  }
  const std::vector<std::string> base(argv + first, argv + argc);
  std::vector<std::string> single = base, every = base;
  single.insert(single.end(), {"--threads", "1"});
  every.insert(every.end(), {"--threads", std::to_string(n)});
  const std::string every_name = std::to_string(n) + " cpus, --threads " + std::to_string(n);
  double best1 = 1e300, bestn = 1e300, sum1 = 0, sumn = 0;
  for (int r = 0; r < rounds; ++r) {
    const Spawned a = spawn(single, &one);
    print("1 cpu, --threads 1", a);
    const Spawned b = spawn(every, &all);
    print(every_name.c_str(), b);
    best1 = std::min(best1, a.wall);
    bestn = std::min(bestn, b.wall);
    sum1 += a.wall;
    sumn += b.wall;
  }
  std::printf("%s over 1 cpu: %.2fx (means), %.2fx (best runs)\n", every_name.c_str(), sum1 / sumn,
              best1 / bestn);
  return 0;
}

// The whole scan over one JSON Lines input (plus, optionally, the HR file its identities need),
// in this process, with the shipped sources, rules, lists and test GeoIP databases.
int okta_scan(int argc, char** argv) {
  std::string jsonl, hr, source = "okta", defs = kRoot + "/rules/sources";
  int repeat = 1;
  std::vector<int> threads = {1};
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--jsonl")
      jsonl = v;
    else if (k == "--hr")
      hr = v;
    else if (k == "--source")
      source = v;
    else if (k == "--defs")
      defs = v;
    else if (k == "--repeat")
      repeat = std::atoi(v.c_str());
    else if (k == "--threads")
      threads = parse_list(v);
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  if (jsonl.empty()) {
    std::fprintf(stderr, "okta-scan needs --jsonl FILE\n");
    return 2;
  }
  std::printf("== whole scan, %s (source %s)%s%s\n", jsonl.c_str(), source.c_str(),
              hr.empty() ? "" : ", HR ", hr.c_str());
  simdjson_baselines(jsonl, repeat);
  CountDiags load_diags;
  sources::Catalog catalog;
  if (!catalog.load_dir(defs, load_diags)) return 2;
  run("vetter read_lines+map_raw", repeat, [&] { return lines_map(*catalog.find(source), jsonl); });
  for (int t : threads) {
    const std::string name = "vetter scan threads=" + std::to_string(t);
    run(name, repeat, [&] {
      app::Config config = app::default_config(kRoot);
      config.source_dirs = {defs};
      config.hmac_key_file = kRoot + "/samples/hmac.key";
      config.ip_lists["corporate_egress"] = kRoot + "/samples/lists/corporate_egress.txt";
      config.threads = static_cast<unsigned>(t);
      const auto input = [](std::string source_name, std::string path, std::string where) {
        app::Input in;
        in.source = std::move(source_name);
        in.path = std::move(path);
        in.where = std::move(where);
        return in;
      };
      if (!hr.empty()) config.inputs.push_back(input("hr-csv", hr, "--hr"));
      config.inputs.push_back(input(source, jsonl, "--jsonl"));
      CountDiags diags;
      app::ScanOutput out;
      const int code = app::scan(config, diags, out);
      Figure f;
      for (const report::InputSummary& in : out.run.inputs) {
        if (in.source == source) f.bytes += in.bytes;
      }
      f.items = out.run.events;
      std::printf("  exit %d, %zu accounts scored, %zu flagged, %zu diagnostics\n", code,
                  out.scores.accounts.size(), out.scores.flagged(), diags.count());
      for (const auto& [stage, ms] : out.run.stage_ms)
        std::printf("  %-28s %9.0f ms\n", stage.c_str(), ms);
      return f;
    });
  }
  std::printf(
      "  (events/s of the scan counts HR rows too; MB/s counts the JSON Lines bytes only)\n");
  for (int t : threads) {
    const std::string n = "vetter scan threads=" + std::to_string(t);
    ratio(n, "simdjson on-demand (top keys)");
    ratio(n, "simdjson DOM (full parse)");
    ratio(n, "vetter read_lines+map_raw");
  }
  ratio("vetter read_lines+map_raw", "simdjson on-demand (top keys)");
  if (threads.size() > 1)
    ratio("vetter scan threads=" + std::to_string(threads.back()),
          "vetter scan threads=" + std::to_string(threads.front()));
  std::printf("peak RSS %ld MB\n", peak_rss_kb() / 1024);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "stages") return stages(argc, argv);
  if (mode == "scan") return scan(argc, argv);
  if (mode == "cores") return cores(argc, argv);
  if (mode == "okta-scan") return okta_scan(argc, argv);
  std::fprintf(
      stderr,
      "usage: bench_pipeline stages --jsonl FILE --syslog FILE [--repeat N] [--threads 1,2]\n"
      "       bench_pipeline scan VETTER ARGS...\n"
      "       bench_pipeline cores [--rounds N] VETTER scan ARGS...\n"
      "       bench_pipeline okta-scan --jsonl FILE [--hr FILE] [--threads 1,2] [--repeat N] "
      "[--defs DIR]\n");
  return 2;
}
