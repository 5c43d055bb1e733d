# The worked example in docs/content-packs.md must stay a valid pack: the first ```json block after
# "## A complete example" is written out as a pack (with the test pack's pictures) and checked with
# --strict. Run by ctest with BIN, DOC, PICTURES and WORK.
file(READ ${DOC} doc)
string(FIND "${doc}" "## A complete example" start)
string(SUBSTRING "${doc}" ${start} -1 doc)
string(FIND "${doc}" "```json\n" open)
math(EXPR open "${open} + 8")
string(SUBSTRING "${doc}" ${open} -1 doc)
string(FIND "${doc}" "\n```" close)
string(SUBSTRING "${doc}" 0 ${close} example)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/example)
file(WRITE ${WORK}/example/pack.json "${example}\n")
file(COPY ${PICTURES} DESTINATION ${WORK}/example)
execute_process(COMMAND ${BIN} --validate --strict ${WORK}/example RESULT_VARIABLE status OUTPUT_VARIABLE out)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "The worked example in ${DOC} does not validate:\n${out}")
endif()
