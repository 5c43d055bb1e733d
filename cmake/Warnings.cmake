# Strict warnings, as errors, for the project's own targets only (Debian's headers are system headers).
function(ba_strict_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith
    -Wcast-align -Wformat=2 -Wundef -Wvla -Wwrite-strings -Wold-style-definition
    -Wimplicit-fallthrough -Wno-unused-parameter)
endfunction()
