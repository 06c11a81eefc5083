# Warnings as an INTERFACE target, linked PRIVATE by every reel target, so generated and
# third-party code is not held to it.
add_library(reel_warnings INTERFACE)
add_library(reel::warnings ALIAS reel_warnings)
target_compile_options(reel_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                                               -Wnon-virtual-dtor -Wno-missing-field-initializers)
if(REEL_WERROR)
  target_compile_options(reel_warnings INTERFACE -Werror)
endif()
