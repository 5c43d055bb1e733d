# Fuzz targets (docs/fuzzing.md). Each is one LLVMFuzzerTestOneInput; with BA_FUZZ (clang,
# tools/fuzz.sh) libFuzzer drives it, otherwise fuzz_replay.c's main() does and ctest replays the seeds
# and fixtures through it. Seeds and the JSON dictionary live in tests/fuzz/.
set(fuzz_dir ${CMAKE_CURRENT_SOURCE_DIR})
function(ba_fuzz_target name)
  add_executable(${name} ${fuzz_dir}/${name}.c ${fuzz_dir}/fuzz_support.c ${ARGN})
  target_include_directories(${name} PRIVATE ${fuzz_dir} ${PROJECT_SOURCE_DIR}/src/app)
  target_link_libraries(${name} PRIVATE ba_core)
  if(BA_FUZZ)
    target_compile_definitions(${name} PRIVATE BA_LIBFUZZER)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  else()
    target_sources(${name} PRIVATE ${fuzz_dir}/fuzz_replay.c)
  endif()
  ba_strict_warnings(${name})
endfunction()

ba_fuzz_target(fuzz_json_doc)
ba_fuzz_target(fuzz_pack_load)
ba_fuzz_target(fuzz_kiosk_settings)
ba_fuzz_target(fuzz_pictures)
ba_fuzz_target(fuzz_script ${PROJECT_SOURCE_DIR}/src/app/script_parse.c)

file(GLOB_RECURSE fuzz_json_files CONFIGURE_DEPENDS ${fuzz_dir}/fixtures/*.json ${fuzz_dir}/packs/*.json)
file(GLOB_RECURSE fuzz_manifests CONFIGURE_DEPENDS ${fuzz_dir}/fixtures/pack.json ${fuzz_dir}/packs/pack.json)
file(GLOB_RECURSE fuzz_media CONFIGURE_DEPENDS ${fuzz_dir}/fixtures/*.png ${fuzz_dir}/fixtures/*.jpg
     ${fuzz_dir}/fixtures/*.svg ${fuzz_dir}/fixtures/*.wav ${fuzz_dir}/packs/*.png ${fuzz_dir}/packs/*.jpg
     ${fuzz_dir}/packs/*.svg ${fuzz_dir}/packs/*.wav)
if(NOT BA_FUZZ)
  add_test(NAME fuzz_json_doc_replay COMMAND fuzz_json_doc ${fuzz_json_files})
  add_test(NAME fuzz_pack_load_replay COMMAND fuzz_pack_load ${fuzz_dir}/fuzz/pack_load ${fuzz_manifests})
  add_test(NAME fuzz_kiosk_settings_replay COMMAND fuzz_kiosk_settings ${fuzz_dir}/kiosk ${fuzz_dir}/fixtures-kiosk)
  add_test(NAME fuzz_pictures_replay COMMAND fuzz_pictures ${fuzz_dir}/fuzz/pictures ${fuzz_media})
  add_test(NAME fuzz_script_replay COMMAND fuzz_script ${fuzz_dir}/scripts ${fuzz_dir}/fuzz/script)
endif()
