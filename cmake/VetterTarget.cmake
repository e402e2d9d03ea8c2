# Per-target settings shared by every vetter target: language level, warnings, sanitizers.
function(vetter_configure_target target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
  # GCC 12 reports -Wrestrict inside libstdc++ for string concatenation at -O2 (GCC bug 105329),
  # a false positive that would break -Werror builds.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(VETTER_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(VETTER_SANITIZE)
    target_compile_options(${target} PUBLIC -fsanitize=address,undefined -fno-omit-frame-pointer
                                            -fno-sanitize-recover=undefined)
    target_link_options(${target} PUBLIC -fsanitize=address,undefined)
  endif()
endfunction()

# vetter_module(NAME SOURCES... DEPS ...): one static library per pipeline module,
# exported as vetter::NAME with public headers under include/vetter/NAME.
function(vetter_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(vetter_${name} STATIC ${ARG_SOURCES})
  add_library(vetter::${name} ALIAS vetter_${name})
  target_include_directories(vetter_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include
                                            PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(vetter_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  vetter_configure_target(vetter_${name})
endfunction()
