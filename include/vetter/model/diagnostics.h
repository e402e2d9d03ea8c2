// How library modules report problems without knowing who listens (the CLI logs them, tests collect
// them).
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace vetter::model {

enum class Severity { kInfo, kWarning, kError };

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string code;     // stable, e.g. "E-INPUT-JSON"; tests and scripts match on it
  std::string where;    // "file:line[:col]" or a config key; empty when not tied to a place
  std::string message;  // for a human: what is wrong and what to do
};

std::string format(const Diagnostic& d);  // "where: error[code]: message"

class Diagnostics {
 public:
  virtual ~Diagnostics() = default;
  virtual void report(Diagnostic d) = 0;

  void error(std::string code, std::string where, std::string message) {
    report({Severity::kError, std::move(code), std::move(where), std::move(message)});
  }
  void warning(std::string code, std::string where, std::string message) {
    report({Severity::kWarning, std::move(code), std::move(where), std::move(message)});
  }
  void info(std::string code, std::string where, std::string message) {
    report({Severity::kInfo, std::move(code), std::move(where), std::move(message)});
  }
};

// Keeps every diagnostic; thread-safe. Used by tests and by the CLI to print a summary at the end.
class CollectingDiagnostics : public Diagnostics {
 public:
  void report(Diagnostic d) override;
  std::vector<Diagnostic> items() const;
  std::size_t count(Severity s) const;
  bool has_code(const std::string& code) const;

 private:
  mutable std::mutex mutex_;
  std::vector<Diagnostic> items_;
};

// Forwards to another sink and keeps nothing; counts errors so a pass can be checked afterwards.
class CountingDiagnostics : public Diagnostics {
 public:
  explicit CountingDiagnostics(Diagnostics& next) : next_(next) {}
  void report(Diagnostic d) override;
  std::size_t errors() const { return errors_; }

 private:
  Diagnostics& next_;
  std::size_t errors_ = 0;
};

}  // namespace vetter::model
