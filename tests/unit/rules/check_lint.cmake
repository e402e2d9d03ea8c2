# `vetter rules lint` on tests/unit/rules/data/ten_mistakes.yml: a failing exit status,
# and every one of the ten mistakes with its line:col and code, as text or as JSON.
#   cmake -DVETTER=path/to/vetter -DFORMAT=text|json -P check_lint.cmake   (run from the repo root)
set(file tests/unit/rules/data/ten_mistakes.yml)
set(expected
    "E-RULE-KEY 5:1" "E-RULE-MISSING 10:1" "E-RULE-FIELD 18:9" "E-RULE-MODIFIER 24:9"
    "E-RULE-VALUE 30:25" "E-RULE-PLACEHOLDER 36:26" "E-RULE-CONDITION 43:22"
    "E-RULE-LEVEL 46:8" "E-RULE-CORRELATION 57:13" "E-RULE-REF 64:11")
if(FORMAT STREQUAL "json")
  set(args --format json)
endif()
execute_process(COMMAND ${VETTER} rules lint ${file} ${args}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(rc EQUAL 0)
  message(FATAL_ERROR "lint passed a file with ten mistakes:\n${out}${err}")
endif()
set(missing "")
foreach(item IN LISTS expected)
  string(REPLACE " " ";" parts "${item}")
  list(GET parts 0 code)
  list(GET parts 1 at)
  if(FORMAT STREQUAL "json")
    string(REGEX MATCH "\"code\": \"${code}\",[\n ]*\"where\": \"[^\"]*ten_mistakes.yml:${at}\"" hit
                 "${out}")
  else()
    string(REGEX MATCH "ten_mistakes.yml:${at}: error\\[${code}\\]: [^\n]+" hit "${out}")
  endif()
  if(NOT hit)
    string(APPEND missing "  ${code} at ${at}\n")
  endif()
endforeach()
if(FORMAT STREQUAL "json")
  string(REGEX MATCHALL "\"severity\": \"error\"" errors "${out}")
else()
  # (a match must not hold '[': CMake lists treat brackets specially)
  string(REGEX MATCHALL "ten_mistakes.yml:[0-9]+:[0-9]+: error" errors "${out}")
endif()
list(LENGTH errors count)
if(missing OR NOT count EQUAL 10)
  message(FATAL_ERROR "expected exactly the ten mistakes (got ${count} errors); missing:\n"
                      "${missing}output:\n${out}${err}")
endif()
message(STATUS "all ten mistakes reported (${FORMAT})")
