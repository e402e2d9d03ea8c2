// Report files written whole or not at all: temporary file, checked writes, fsync, rename.
#include "vetter/report/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <streambuf>

namespace vetter::report {
namespace {
namespace fs = std::filesystem;

// An output buffer over a file descriptor that checks every write(2): the first failure is kept
// (its errno) and the stream goes bad, so nothing after it is taken for written.
class FdBuf : public std::streambuf {
 public:
  explicit FdBuf(int fd) : fd_(fd) { setp(buf_, buf_ + sizeof buf_); }
  FdBuf(const FdBuf&) = delete;
  FdBuf& operator=(const FdBuf&) = delete;

  int error() const { return error_; }

 protected:
  int_type overflow(int_type ch) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    if (error_ != 0) return false;
    const char* p = pbase();
    auto left = static_cast<std::size_t>(pptr() - pbase());
    while (left > 0) {
      const ssize_t n = ::write(fd_, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        error_ = errno;
        return false;
      }
      if (n == 0) {
        error_ = EIO;
        return false;
      }
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    setp(buf_, buf_ + sizeof buf_);
    return true;
  }

  int fd_;
  int error_ = 0;
  char buf_[1 << 16];
};

std::string failure(const std::string& path, const std::string& what, int err) {
  return path + ": could not write the report (" + what + "): " + std::strerror(err);
}

// Removes the temporary file and closes its descriptor unless the rename happened.
struct TempFile {
  std::string path;
  int fd = -1;
  bool keep = false;
  ~TempFile() {
    if (fd >= 0) ::close(fd);
    if (!keep && !path.empty()) ::unlink(path.c_str());
  }
};

// /dev/null, /dev/stdout, /dev/fd/N, /proc/self/fd/N: entries only the system makes, which name a
// device or a descriptor. Renaming a file over them would replace /dev/null itself when run as
// root, so they are written in place, through their link.
bool system_path(const std::string& path) {
  std::error_code ec;
  const auto abs = fs::absolute(path, ec).lexically_normal().string();
  return !ec && (abs.rfind("/dev/", 0) == 0 || abs.rfind("/proc/", 0) == 0);
}

// Fills the stream into `fd`; the write error as a message, or nullopt.
std::optional<std::string> fill_fd(int fd, const std::string& path,
                                   const std::function<void(std::ostream&)>& fill) {
  FdBuf buf(fd);
  std::ostream out(&buf);
  try {
    fill(out);
  } catch (const std::exception& e) {
    return path + ": could not write the report: " + e.what();
  }
  out.flush();
  if (buf.error() != 0) return failure(path, "writing", buf.error());
  if (!out) return failure(path, "writing", EIO);
  return std::nullopt;
}

std::optional<std::string> write_in_place(const std::string& path,
                                          const std::function<void(std::ostream&)>& fill) {
  // No O_CREAT: nothing new is made under /dev or /proc.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return failure(path, "opening", errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || S_ISBLK(st.st_mode) || S_ISDIR(st.st_mode)) {
    ::close(fd);
    return failure(path, "not a character device, pipe or file", EINVAL);
  }
  auto failed = fill_fd(fd, path, fill);
  if (::close(fd) != 0 && !failed) return failure(path, "closing", errno);
  return failed;
}

}  // namespace

std::optional<std::string> write_file_atomically(const std::string& path,
                                                 const std::function<void(std::ostream&)>& fill) {
  if (system_path(path)) return write_in_place(path, fill);
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string base = target.filename().string();
  if (base.empty() || base == "." || base == "..") return failure(path, "not a file name", EISDIR);

  // A name nobody else can have made: O_EXCL fails on any existing entry, O_NOFOLLOW on a link.
  TempFile tmp;
  std::random_device random;
  for (int attempt = 0; attempt < 100 && tmp.fd < 0; ++attempt) {
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, ".tmp-%d-%08x", static_cast<int>(::getpid()),
                  static_cast<unsigned>(random()));
    const std::string candidate = (dir / ("." + base + suffix)).string();
    const int fd =
        ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0) {
      tmp.path = candidate;
      tmp.fd = fd;
    } else if (errno != EEXIST) {
      return failure(path, "creating a temporary file in " + dir.string(), errno);
    }
  }
  if (tmp.fd < 0) return failure(path, "creating a temporary file in " + dir.string(), EEXIST);

  if (auto failed = fill_fd(tmp.fd, path, fill)) return failed;
  if (::fsync(tmp.fd) != 0) return failure(path, "fsync", errno);
  const int fd = tmp.fd;
  tmp.fd = -1;
  if (::close(fd) != 0) return failure(path, "closing", errno);
  if (::rename(tmp.path.c_str(), path.c_str()) != 0) return failure(path, "renaming", errno);
  tmp.keep = true;

  // The rename itself is durable only once the directory is.
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    const int rc = ::fsync(dir_fd);
    const int err = errno;
    ::close(dir_fd);
    if (rc != 0 && err != EINVAL) return failure(path, "fsync of " + dir.string(), err);
  }
  return std::nullopt;
}

}  // namespace vetter::report
