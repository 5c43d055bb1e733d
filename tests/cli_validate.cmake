# The real blue-align binary as staff use it: exit status 0 clean, 1 errors, 2 usage; --strict,
# --help and --version. Run by ctest with BIN (the binary) and TESTS (this folder).
function(expect_run expected_status expected_text)
  execute_process(COMMAND ${BIN} ${ARGN} WORKING_DIRECTORY ${TESTS}
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 30)
  if(NOT status EQUAL expected_status)
    message(FATAL_ERROR "blue-align ${ARGN}: exit ${status}, expected ${expected_status}\n${out}${err}")
  endif()
  string(FIND "${out}${err}" "${expected_text}" found)
  if(found EQUAL -1)
    message(FATAL_ERROR "blue-align ${ARGN}: output lacks \"${expected_text}\":\n${out}${err}")
  endif()
endfunction()

expect_run(0 "2 packs checked (3 items loaded, 0 packs skipped): 0 errors, 0 warnings" --validate fixtures/good)
expect_run(0 "1 pack checked (6 items loaded" --validate packs/every-feature/)
expect_run(0 "1 pack checked" --validate packs/every-feature/pack.json)
expect_run(1 "fixtures/trailing-comma/pack.json:17:46: error:" --validate fixtures/good fixtures/trailing-comma)
expect_run(0 "0 errors, 1 warning" --validate fixtures/duplicate-key)
expect_run(1 "0 errors, 1 warning" --strict --validate fixtures/duplicate-key)
expect_run(1 "no-such-folder: error: this folder does not exist" --validate no-such-folder)
expect_run(1 "no packs here" --validate fixtures/good/desk-basics/pictures)
expect_run(2 "unknown option --valdiate" --valdiate fixtures/good)
expect_run(0 "Usage: blue-align" --help)
expect_run(0 "content-pack format 1" --version)
# --set-pin with nothing on standard input says so, and writes nothing.
file(REMOVE ${WORK}/empty-pin-settings.json)
execute_process(COMMAND ${BIN} --set-pin ${WORK}/empty-pin-settings.json INPUT_FILE /dev/null
                RESULT_VARIABLE status ERROR_VARIABLE err TIMEOUT 30)
if(NOT status EQUAL 1 OR NOT err MATCHES "no PIN was given" OR EXISTS ${WORK}/empty-pin-settings.json)
  message(FATAL_ERROR "--set-pin with empty input: exit ${status}, ${err}")
endif()

# Installed, the binary finds its content relative to itself, wherever it is started from.
file(REMOVE_RECURSE ${WORK}/prefix)
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD} --prefix ${WORK}/prefix RESULT_VARIABLE status OUTPUT_QUIET)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cmake --install failed")
endif()
set(BIN ${WORK}/prefix/bin/blue-align)
if(NOT EXISTS ${WORK}/prefix/share/blue-align/content/content-pack.schema.json OR NOT EXISTS ${WORK}/prefix/share/doc/blue_align/content-packs.md)
  message(FATAL_ERROR "cmake --install did not lay out the content and docs")
endif()
# A broken pack planted in the installed content only: if the installed binary reports it, it read the
# installed copy (from /, so not relative to the current folder).
set(planted ${WORK}/prefix/share/blue-align/content/zz-planted)
file(MAKE_DIRECTORY ${planted})
file(WRITE ${planted}/pack.json "{\n")
execute_process(COMMAND ${BIN} --validate WORKING_DIRECTORY / RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(FIND "${out}${err}" "${planted}/pack.json" found)
if(found EQUAL -1 OR NOT status EQUAL 1)
  message(FATAL_ERROR "the installed binary did not check its installed content (exit ${status}):\n${out}${err}")
endif()
