// Writing a report file whole or not at all, and never through a symbolic link.
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>

namespace vetter::report {

// Writes `path` with what `fill` puts into the stream: into a new temporary file next to it
// (O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600), every write and the close checked, fsync'd, then renamed
// over `path`. rename() replaces a symbolic link at `path` itself and never follows it, so a link
// planted where the report goes is neither written through nor created. On any failure (a full
// disk, a missing directory, an exception from `fill`) the temporary file is removed and `path` is
// left as it was.
//
// Paths under /dev and /proc (/dev/null, /dev/stdout, /dev/fd/N from a shell's >(...)) are
// written in place instead, through their link and without creating anything: only the system
// makes entries there, and a rename would replace /dev/null itself.
//
// Returns nullopt on success, else a message naming the file and the OS error.
[[nodiscard]] std::optional<std::string> write_file_atomically(
    const std::string& path, const std::function<void(std::ostream&)>& fill);

}  // namespace vetter::report
