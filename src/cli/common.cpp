// What every subcommand shares: exit-code text, the install root, logging diagnostics.
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <type_traits>
#include <variant>

#include "commands.h"

namespace vetter::cli {
namespace fs = std::filesystem;

const char* const kExitCodes =
    "Exit codes (stable, for cron):\n"
    "  0  ran; no account reached the review threshold\n"
    "  1  ran; accounts were flagged\n"
    "  2  usage, config or rule error\n"
    "  3  input could not be read, or too much of it was bad (--max-errors, --max-error-rate)\n"
    "  4  could not write the report (a full disk, no permission); no partial report is left\n";

std::atomic<bool> g_progress_line{false};

void LogDiagnostics::report(model::Diagnostic d) {
  // A progress line may be on the terminal: clear it so the message starts on a clean line.
  if (g_progress_line.load(std::memory_order_relaxed)) std::fputs("\r\033[K", stderr);
  switch (d.severity) {
    case model::Severity::kInfo:
      spdlog::info("{}", model::format(d));
      break;
    case model::Severity::kWarning:
      spdlog::warn("{}", model::format(d));
      break;
    case model::Severity::kError:
      spdlog::error("{}", model::format(d));
      break;
  }
}

nlohmann::ordered_json value_json(const model::Value& value) {
  return std::visit(
      [](const auto& v) -> nlohmann::ordered_json {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::monostate>) {
          return nullptr;
        } else {
          return v;
        }
      },
      value);
}

std::string find_root() {
  if (const char* env = std::getenv("VETTER_HOME")) return env;
  std::error_code ec;
  const auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (auto dir = exe.parent_path(); !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path()) {
      if (fs::exists(dir / "rules" / "sources", ec)) return dir.string();
      if (fs::exists(dir / "share" / "vetter" / "rules", ec))
        return (dir / "share" / "vetter").string();
    }
  }
  return ".";
}

}  // namespace vetter::cli
