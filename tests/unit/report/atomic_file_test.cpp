// Report files: written whole or not at all, never through a link, readable by the owner only
// (issue #17).
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "vetter/report/atomic_file.h"

namespace fs = std::filesystem;
using vetter::report::write_file_atomically;

namespace {

struct Scratch {
  fs::path dir;
  Scratch() {
    char tmpl[] = "/tmp/vetter-atomic-XXXXXX";
    dir = ::mkdtemp(tmpl);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string path(const std::string& name) const { return (dir / name).string(); }
  // Every entry of the directory, so a forgotten temporary file shows.
  std::size_t entries() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir))
      ++n;
    return n;
  }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

auto text(std::string s) {
  return [s = std::move(s)](std::ostream& out) { out << s; };
}

// Writes to files beyond `bytes` fail with EFBIG for as long as this lives, as a full disk
// would (tests run as root, so permissions cannot make a write fail).
struct FileSizeLimit {
  rlimit old{};
  void (*old_handler)(int);
  explicit FileSizeLimit(rlim_t bytes) {
    old_handler = std::signal(SIGXFSZ, SIG_IGN);
    ::getrlimit(RLIMIT_FSIZE, &old);
    rlimit lim = old;
    lim.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &lim);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, old_handler);
  }
};

}  // namespace

TEST_CASE("atomic report: writes the file, mode 0600 whatever the umask") {
  Scratch s;
  const mode_t old_mask = ::umask(0);
  auto failed = write_file_atomically(s.path("report.json"), text("{}\n"));
  ::umask(old_mask);
  REQUIRE_FALSE(failed);
  CHECK(slurp(s.path("report.json")) == "{}\n");
  struct stat st {};
  REQUIRE(::stat(s.path("report.json").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  CHECK(s.entries() == 1);
}

TEST_CASE("atomic report: replaces an existing report whole") {
  Scratch s;
  std::ofstream(s.path("report.csv")) << "old old old old old old\n";
  REQUIRE_FALSE(write_file_atomically(s.path("report.csv"), text("new\n")));
  CHECK(slurp(s.path("report.csv")) == "new\n");
  CHECK(s.entries() == 1);
}

TEST_CASE("atomic report: a symlink in place of the report is replaced, its target untouched") {
  Scratch s;
  std::ofstream(s.path("victim")) << "precious\n";
  fs::create_symlink(s.path("victim"), s.path("report.json"));
  REQUIRE_FALSE(write_file_atomically(s.path("report.json"), text("report\n")));
  CHECK(slurp(s.path("victim")) == "precious\n");
  CHECK_FALSE(fs::is_symlink(s.path("report.json")));
  CHECK(slurp(s.path("report.json")) == "report\n");
}

TEST_CASE("atomic report: a dangling symlink does not create its target") {
  Scratch s;
  fs::create_symlink(s.path("created-by-attacker"), s.path("report.md"));
  REQUIRE_FALSE(write_file_atomically(s.path("report.md"), text("# report\n")));
  CHECK_FALSE(fs::exists(s.path("created-by-attacker")));
  CHECK_FALSE(fs::is_symlink(s.path("report.md")));
  CHECK(slurp(s.path("report.md")) == "# report\n");
}

TEST_CASE("atomic report: a failing write is reported, leaves the old report and no temp file") {
  Scratch s;
  std::ofstream(s.path("report.json")) << "the previous report\n";
  std::optional<std::string> failed;
  {
    FileSizeLimit limit(4096);
    failed = write_file_atomically(s.path("report.json"), text(std::string(1 << 20, 'x')));
  }
  REQUIRE(failed);
  CHECK_THAT(*failed, Catch::Contains(s.path("report.json")));
  CHECK_THAT(*failed, Catch::Contains("File too large"));
  CHECK(slurp(s.path("report.json")) == "the previous report\n");
  CHECK(s.entries() == 1);
}

TEST_CASE("atomic report: an exception while writing leaves nothing behind") {
  Scratch s;
  auto failed = write_file_atomically(s.path("report.html"), [](std::ostream& out) {
    out << "<html>";
    throw std::runtime_error("reporter broke");
  });
  REQUIRE(failed);
  CHECK_THAT(*failed, Catch::Contains("reporter broke"));
  CHECK(s.entries() == 0);
}

TEST_CASE("atomic report: a missing directory is an error naming the file") {
  Scratch s;
  auto failed = write_file_atomically(s.path("no/such/dir/report.json"), text("x"));
  REQUIRE(failed);
  CHECK_THAT(*failed, Catch::Contains("report.json"));
  CHECK_THAT(*failed, Catch::Contains("No such file or directory"));
}

TEST_CASE("atomic report: /dev/null and /dev/full are written in place, never replaced") {
  REQUIRE_FALSE(write_file_atomically("/dev/null", text("report\n")));
  struct stat st {};
  REQUIRE(::stat("/dev/null", &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
  // /dev/full: every write fails with ENOSPC, as on a full disk.
  auto failed = write_file_atomically("/dev/full", text("report\n"));
  REQUIRE(failed);
  CHECK_THAT(*failed, Catch::Contains("/dev/full"));
  CHECK_THAT(*failed, Catch::Contains("No space left on device"));
  REQUIRE(::stat("/dev/full", &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
  // Nothing new is created there.
  CHECK(write_file_atomically("/dev/vetter-test-no-such-device", text("x")));
  CHECK_FALSE(fs::exists("/dev/vetter-test-no-such-device"));
}
