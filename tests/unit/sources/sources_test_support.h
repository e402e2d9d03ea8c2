// Helpers for sources tests: the ingest test helpers (scratch directory, gzip/zstd, "code@where"
// reports) and loading the shipped definitions in rules/sources.
#pragma once

#include "../ingest/ingest_test_support.h"
#include "vetter/sources/source.h"

namespace vetter::sources::testing {

using ingest::testing::codes;
using ingest::testing::gzip;
using ingest::testing::slurp;
using ingest::testing::TempDir;
using ingest::testing::zstd;

// The shipped definitions (tests run in the source tree); any report from loading them fails the
// test with the report's text. Each test file keeps its own function-local static copy, so the
// definitions are loaded once per file.
inline Catalog load_shipped() {
  Catalog catalog;
  model::CollectingDiagnostics diags;
  const bool ok = catalog.load_dir("rules/sources", diags);
  for (const model::Diagnostic& d : diags.items())
    FAIL(model::format(d));
  REQUIRE(ok);
  return catalog;
}

}  // namespace vetter::sources::testing
