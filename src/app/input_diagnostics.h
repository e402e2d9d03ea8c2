// The diagnostics sink of a scan's input threads: forwards every report, keeps the first few bad
// records for the run summary, and mutes individual bad lines past the first twenty.
#pragma once

#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "vetter/model/diagnostics.h"

namespace vetter::app {

// Keeps the first few bad-input diagnostics for the run summary while forwarding all of them.
class InputDiagnostics : public model::Diagnostics {
 public:
  InputDiagnostics(model::Diagnostics& next, std::vector<std::string>& examples)
      : next_(next), examples_(examples) {}
  void report(model::Diagnostic d) override {
    // Producer threads report concurrently.
    std::lock_guard lock(mutex_);
    codes_.insert(d.code);
    if (d.severity == model::Severity::kError) {
      ++errors_;
      if (examples_.size() < 5) examples_.push_back(model::format(d));
      // Past the first examples, individual lines stop being useful on a terminal; the counts
      // in the summary still hold every one of them.
      if (errors_ > kShown) {
        if (errors_ == kShown + 1) {
          next_.warning("W-INPUT-MUTED", d.where,
                        "more bad records follow; further ones are counted, not shown");
        }
        return;
      }
    }
    next_.report(std::move(d));
  }

  bool saw(const std::string& code) {
    std::lock_guard lock(mutex_);
    return codes_.count(code) > 0;
  }

 private:
  static constexpr std::uint64_t kShown = 20;
  std::set<std::string> codes_;
  std::mutex mutex_;
  model::Diagnostics& next_;
  std::vector<std::string>& examples_;
  std::uint64_t errors_ = 0;
};

}  // namespace vetter::app
