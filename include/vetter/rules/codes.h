// Stable diagnostic codes and message texts of the rule loader; tests and scripts match on them.
#pragma once

#include <string_view>

namespace vetter::rules::codes {

// Errors: the rule (or file) is not loaded.
inline constexpr std::string_view kIo = "E-RULE-IO";                    // cannot read a path
inline constexpr std::string_view kYaml = "E-RULE-YAML";                // YAML syntax
inline constexpr std::string_view kShape = "E-RULE-SHAPE";              // wrong YAML type for a key
inline constexpr std::string_view kKey = "E-RULE-KEY";                  // unknown top-level key
inline constexpr std::string_view kMissing = "E-RULE-MISSING";          // required key absent
inline constexpr std::string_view kDuplicate = "E-RULE-DUPLICATE";      // id or name used twice
inline constexpr std::string_view kField = "E-RULE-FIELD";              // not a model::Fields name
inline constexpr std::string_view kModifier = "E-RULE-MODIFIER";        // unknown/unsupported
inline constexpr std::string_view kValue = "E-RULE-VALUE";              // bad value for a modifier
inline constexpr std::string_view kPlaceholder = "E-RULE-PLACEHOLDER";  // %name% not defined
inline constexpr std::string_view kSelection = "E-RULE-SELECTION";      // malformed selection
inline constexpr std::string_view kCondition = "E-RULE-CONDITION";      // condition syntax/names
inline constexpr std::string_view kCorrelation = "E-RULE-CORRELATION";  // correlation section
inline constexpr std::string_view kRef = "E-RULE-REF";                  // unknown rule reference
inline constexpr std::string_view kLevel = "E-RULE-LEVEL";              // level not in the list
inline constexpr std::string_view kScore = "E-RULE-SCORE";              // x-score malformed
inline constexpr std::string_view kUnsupported = "E-RULE-UNSUPPORTED";  // valid Sigma, not yet here
inline constexpr std::string_view kTests = "E-RULE-TESTS";              // x-tests malformed
inline constexpr std::string_view kTuning = "E-RULE-TUNING";            // x-tuning malformed
inline constexpr std::string_view kFilter = "E-RULE-FILTER";            // Sigma filter document

// Info: worth a line in the log.
inline constexpr std::string_view kDisabledInfo = "I-RULE-DISABLED";  // disabled by local tuning

// Warnings: the rule loads.
inline constexpr std::string_view kUnusedSelection = "W-RULE-UNUSED-SELECTION";
inline constexpr std::string_view kNoLevel = "W-RULE-NO-LEVEL";
inline constexpr std::string_view kStatus = "W-RULE-STATUS";
inline constexpr std::string_view kAllSingle = "W-RULE-ALL-SINGLE";  // |all with one value
inline constexpr std::string_view kNoRules = "W-RULE-NO-FILES";      // a directory without rules
inline constexpr std::string_view kUnmatchedTarget =
    "W-RULE-TARGET";  // tuning/filter names no rule
inline constexpr std::string_view kUnusedList = "W-RULE-UNUSED-LIST";  // placeholder list unused
inline constexpr std::string_view kDisabled = "W-RULE-DISABLED";  // correlation off: base disabled
inline constexpr std::string_view kFilterNoNot =
    "W-RULE-FILTER-NO-NOT";  // Sigma filter condition without `not`: keeps only what it names

}  // namespace vetter::rules::codes

// Message texts: the fixed part of each message; the loader adds the rule title and names.
namespace vetter::rules::messages {

inline constexpr std::string_view kCannotRead = "cannot read rule path";
inline constexpr std::string_view kYamlSyntax = "YAML syntax error";
inline constexpr std::string_view kDuplicateKey = "duplicate key";
inline constexpr std::string_view kYamlStuck =
    "the parser stopped making progress here (a stray ',' or flow indicator outside [ ] or { }?)";
inline constexpr std::string_view kNotAMap = "a rule document must be a YAML map";
inline constexpr std::string_view kUnknownKey =
    "unknown top-level key (Sigma keys only; put vetter extensions under an 'x-' key)";
inline constexpr std::string_view kMissingTitle = "rule has no 'title'";
inline constexpr std::string_view kNeedsBody =
    "a document needs exactly one of 'detection', 'correlation', 'filter' or 'x-tuning'";
inline constexpr std::string_view kMissingCondition = "has no 'condition'";
inline constexpr std::string_view kDuplicateId = "rule id is already used by";
inline constexpr std::string_view kDuplicateName = "rule name is already used by";
inline constexpr std::string_view kUnknownField = "unknown field";
inline constexpr std::string_view kFieldHint = "run 'vetter fields' for the catalogue";
inline constexpr std::string_view kUnknownModifier = "unknown modifier";
inline constexpr std::string_view kUnsupportedModifier = "modifier not supported by vetter";
inline constexpr std::string_view kConflictingModifiers = "modifiers cannot be combined";
inline constexpr std::string_view kTimePartField =
    "minute/hour/day/week/month/year need a time or ISO 8601 text field";
inline constexpr std::string_view kBadValue = "bad value";
inline constexpr std::string_view kUnknownPlaceholder = "placeholder has no list";
inline constexpr std::string_view kKeywordSelection =
    "keyword (field-less) selections are not supported; name a field";
inline constexpr std::string_view kBadSelection = "selection must be a map or a list of maps";
inline constexpr std::string_view kConditionSyntax = "condition syntax error";
inline constexpr std::string_view kConditionUnknown = "condition names an unknown selection";
inline constexpr std::string_view kConditionNoMatch = "pattern matches no selection";
inline constexpr std::string_view kConditionDepth = "condition nests too deeply";
inline constexpr std::string_view kUnusedSelection = "selection is not used by the condition";
inline constexpr std::string_view kBadLevel =
    "level must be informational, low, medium, high or critical";
inline constexpr std::string_view kNoLevel = "rule has no level; using 'medium'";
inline constexpr std::string_view kBadStatus =
    "status should be stable, test, experimental, deprecated or unsupported";
inline constexpr std::string_view kBadScore =
    "x-score must be a map with 'points' (0-100), optional 'decay_half_life' (e.g. 7d) and "
    "optional 'decisive' (true or false)";
inline constexpr std::string_view kBadCorrelationType =
    "correlation type must be event_count, value_count, value_sum, value_avg, value_percentile, "
    "temporal, temporal_ordered or x-geo_velocity";
inline constexpr std::string_view kUnsupportedCorrelationType =
    "correlation type not supported yet";
inline constexpr std::string_view kBadTimespan =
    "timespan must be a duration such as 30s, 15m, 24h, 7d";
inline constexpr std::string_view kBadCorrelationCondition =
    "correlation condition must map gt/gte/lt/lte/eq to a number, whole for counts "
    "(value_count, value_sum, value_avg and value_percentile also need 'field')";
inline constexpr std::string_view kBadPercentile =
    "value_percentile needs 'percentile' in its condition: a number from 0 to 100 (e.g. "
    "percentile: 95; 50 is the median)";
inline constexpr std::string_view kPercentileOnly = "'percentile' is only for value_percentile";
inline constexpr std::string_view kMissingRules = "correlation needs a non-empty 'rules' list";
inline constexpr std::string_view kUnknownRule = "correlation references an unknown rule";
inline constexpr std::string_view kCycle = "correlations reference each other in a cycle";
inline constexpr std::string_view kChainedWindowEnd =
    "a correlation with an lt/lte condition is judged at window end and cannot feed another "
    "correlation";
inline constexpr std::string_view kUnknownCorrelationKey = "unknown key in correlation";
inline constexpr std::string_view kAllSingle = "'all' modifier with a single value has no effect";
inline constexpr std::string_view kNoRuleFiles = "directory holds no *.yml or *.yaml files";
inline constexpr std::string_view kFilterShape =
    "a filter document needs 'filter' with 'rules' (names or ids), selections and a 'condition'";
inline constexpr std::string_view kFilterOnCorrelation =
    "filters apply to detection rules; filter the correlation's base rule instead";
inline constexpr std::string_view kUnmatchedTarget = "names no loaded rule (ignored)";
inline constexpr std::string_view kFilterNoNot =
    "Sigma filter condition has no 'not': a filter is ANDed onto its rules ((rule) and "
    "(filter)), so this keeps only the events it names; write 'condition: not <selection>' to "
    "exclude them";
inline constexpr std::string_view kDisabledBase = "is off because a rule it uses is disabled";
inline constexpr std::string_view kBadTuning = "x-tuning malformed";
inline constexpr std::string_view kUnusedList = "is not used by any rule (no '|expand' names it)";
inline constexpr std::string_view kMustBeScalar = "must be a single value";
inline constexpr std::string_view kMustBeList = "must be a list of values";
inline constexpr std::string_view kMustBeMap = "must be a map";
inline constexpr std::string_view kMustBeBool = "must be true or false";
inline constexpr std::string_view kDetectionShape = "must be a map of selections and a condition";
inline constexpr std::string_view kTimeframe =
    "'timeframe' in detection is Sigma 1 aggregation; write a correlation document";
inline constexpr std::string_view kAction =
    "'action' (Sigma 1 collections) is not supported; write one document per rule";
inline constexpr std::string_view kFieldNameText = "a field name must be text";
inline constexpr std::string_view kEmptySelection = "is empty";
inline constexpr std::string_view kConditionNotText = "condition must be one expression string";
inline constexpr std::string_view kOnlyGeoVelocity = "is only for x-geo_velocity";
inline constexpr std::string_view kFieldOnlyValueCount =
    "'field' is only for value_count, value_sum, value_avg and value_percentile";
inline constexpr std::string_view kBadAliases = "'aliases' must map alias -> {rule name: field}";
inline constexpr std::string_view kBadGeoVelocity = "x-geo_velocity malformed";
inline constexpr std::string_view kBadTests = "x-tests malformed";

}  // namespace vetter::rules::messages
