package dev.rampart.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.Finding;
import dev.rampart.core.Severity;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * One malicious fixture per technique of the bypass catalogue (docs/bypass-catalogue.md), each named after its
 * attack. Every one must raise its technique's rule at its severity; a fixture without an expectation fails the
 * build, so the catalogue and the tests cannot drift apart.
 */
class MaliciousCatalogueTest {
  record Expect(String rule, Severity severity) {}

  private static Expect e(String rule, Severity severity) {
    return new Expect(rule, severity);
  }

  private static final Map<String, Expect> EXPECTED = new TreeMap<>(Map.ofEntries(
      Map.entry("malicious/pickle/reduce_os_system.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/reduce_posix_system_protocol0.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/builtin_python2_name_eval.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/stack_global_memo_put_decoy.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/binget_missing_memo_slot.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/memo_slot_type_confusion.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/decoy_strings_pop_before_stack_global.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/memoized_global_fetched_with_binget.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/build_rewrites_module_dict.pkl", e("PKL-GLOBAL-MUTATION", Severity.HIGH)),
      Map.entry("malicious/pickle/numpy_builtins_mutation_to_eval.pkl", e("PKL-GLOBAL-MUTATION", Severity.HIGH)),
      Map.entry("malicious/pickle/dotted_qualname_in_stack_global.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/ext1_after_copyreg_add_extension.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/obj_then_pop_discards_call.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/inst_protocol0_call.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/string_operands_stack_global_no_proto.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/duplicate_proto.pkl", e("PKL-STREAM-ANOMALY", Severity.MEDIUM)),
      Map.entry("malicious/pickle/protocol5_opcodes_under_proto4_header.pkl", e("PKL-STREAM-ANOMALY", Severity.MEDIUM)),
      Map.entry("malicious/pickle/frame_boundary_straddle.pkl", e("PKL-FRAME-DIVERGENCE", Severity.CRITICAL)),
      Map.entry("malicious/pickle/nested_frame.pkl", e("PKL-FRAME-DIVERGENCE", Severity.CRITICAL)),
      Map.entry("malicious/pickle/broken_after_payload_nullifai.pkl", e("PKL-BROKEN-AFTER-CALL", Severity.HIGH)),
      Map.entry("malicious/pickle/memo_expansion_billion_laughs.pkl", e("PKL-MEMO-EXPANSION", Severity.MEDIUM)),
      Map.entry("malicious/pickle/nested_pickle_in_bytes_loads.pkl", e("PKL-NESTED-PICKLE", Severity.HIGH)),
      Map.entry("malicious/pickle/nested_pickle_base64_constant.pkl", e("PKL-NESTED-PICKLE", Severity.HIGH)),
      Map.entry("malicious/pickle/scanner_tampering_import_fickling.pkl", e("PKL-SCANNER-TAMPERING", Severity.CRITICAL)),
      Map.entry("malicious/pickle/exception_oriented_payload_then_raise.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/legacy_torch_magic_number_by_call.pt", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/legacy_torch_payload_in_fourth_pickle.pt", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/protocol0_ascii_bin_without_magic.bin", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/framework_shapes/dill_create_array_computed_callable.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/framework_shapes/dill_create_array_forwarding_os_system.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/framework_shapes/dill_load_type_codetype.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/framework_shapes/dill_load_type_map_called.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/framework_shapes/getattr_of_computed_object.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/framework_shapes/getattr_dunder_dict_then_setitem.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/framework_shapes/getattr_shape_then_setitem.pkl", e("PKL-GLOBAL-MUTATION", Severity.HIGH)),
      Map.entry("malicious/pickle/framework_shapes/getattr_shape_reaching_os_system.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/pickle/framework_shapes/getattr_shape_reaching_subclasses.pkl", e("PKL-CALL-NOT-ALLOWLISTED", Severity.HIGH)),
      Map.entry("malicious/pickle/framework_shapes/torch_legacy_module_persistent_id_os_system.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/containers/bz2_wrapped_payload.bz2", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/containers/gzip_wrapped_payload.pkl.gz", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/containers/xz_wrapped_payload.xz", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/containers/zstd_wrapped_payload.zst", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/containers/joblib_zlib_compressed_payload.joblib", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/containers/numpy_object_array_dns_exfiltration.npy", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/containers/numpy_object_array_dtype_spelled_object.npy", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/containers/pytorch_payload_in_storage_member.pt", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/containers/pytorch_pickle_under_non_pickle_name_cve_2025_1889.pt", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/containers/sevenzip_repacked_broken_pickle_nullifai.7z", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/containers/tar_with_symlink_and_traversal.tar", e("ARCHIVE-LINK", Severity.HIGH)),
      Map.entry("malicious/containers/zip_crc_mismatch_cve_2025_10156.pt", e("ZIP-CRC-MISMATCH", Severity.HIGH)),
      Map.entry("malicious/containers/zip_decompression_bomb.zip", e("ARCHIVE-BOMB", Severity.HIGH)),
      Map.entry("malicious/containers/zip_end_record_undercounts_members.zip", e("ZIP-DIRECTORY-MISMATCH", Severity.HIGH)),
      Map.entry("malicious/containers/zip_local_header_size_differs_from_directory.zip", e("ZIP-LOCAL-HEADER-MISMATCH", Severity.HIGH)),
      Map.entry("malicious/containers/zip_end_record_points_at_decoy_directory.zip", e("ZIP-DIRECTORY-MISMATCH", Severity.HIGH)),
      Map.entry("malicious/containers/zip_encryption_flag_bit_cve_2025_1945.pt", e("ZIP-FLAG-EVASION", Severity.HIGH)),
      Map.entry("malicious/containers/zip_local_and_central_names_differ_cve_2025_1944.pt", e("ZIP-NAME-MISMATCH", Severity.HIGH)),
      Map.entry("malicious/containers/zip_nested_in_zip.zip", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/containers/zip_password_protected_member.zip", e("SCAN-INCOMPLETE", Severity.HIGH)),
      Map.entry("malicious/routing/newtrue_pop_before_proto.pkl", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/routing/empty_set_pop_before_proto_unnamed.dat", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/routing/long1_pop_before_proto_unnamed.bin", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/routing/noop_run_before_global.pkl.gz", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/routing/text_get_index_with_underscore.txt", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/routing/joblib_dtype_hasobject_flag.joblib", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/routing/pytorch_data_pkl_newtrue_pop_prefix.pt", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/routing/gzip_wrapped_newtrue_pop.pkl.gz", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/routing/xz_wrapped_empty_set_pop.xz", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/routing/bz2_wrapped_long1_pop.bz2", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/routing/joblib_zlib_newtrue_pop.joblib", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/routing/tar_legacy_pytorch_model_bin_newtrue_pop.tar", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/routing/tar_v7_without_magic_legacy_torch_pickle_member.tar", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/routing/zip_in_zip_long1_pop.zip", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/routing/gzip_later_member_bad_header_crc.pkl.gz", e("PKL-DENYLISTED-CALL", Severity.CRITICAL)),
      Map.entry("malicious/routing/noop_run_past_opcode_limit.pkl.gz", e("SCAN-INCOMPLETE", Severity.HIGH)),
      Map.entry("malicious/routing/deep_mark_nesting_before_global.pkl.gz", e("SCAN-INCOMPLETE", Severity.HIGH)),
      Map.entry("malicious/routing/memo_flood_before_global.pkl.gz", e("SCAN-INCOMPLETE", Severity.HIGH)),
      Map.entry("malicious/routing/zip_unicode_path_field_names_other_member.zip", e("ZIP-NAME-MISMATCH", Severity.HIGH)),
      Map.entry("malicious/gguf/gguf_array_count_exhaustion.gguf", e("GGUF-BOUNDS", Severity.HIGH)),
      Map.entry("malicious/gguf/gguf_string_length_exhaustion.gguf", e("GGUF-BOUNDS", Severity.HIGH)),
      Map.entry("malicious/gguf/gguf_tensor_offset_out_of_bounds_cve_2026_7482.gguf", e("GGUF-BOUNDS", Severity.HIGH)),
      Map.entry("malicious/gguf/gguf_chat_template_obfuscated_attr_filter.gguf", e("TEMPLATE-INJECTION", Severity.CRITICAL)),
      Map.entry("malicious/gguf/gguf_chat_template_obfuscated_concatenation.gguf", e("TEMPLATE-INJECTION", Severity.CRITICAL)),
      Map.entry("malicious/gguf/gguf_chat_template_obfuscated_hex_escapes.gguf", e("TEMPLATE-INJECTION", Severity.CRITICAL)),
      Map.entry("malicious/gguf/gguf_chat_template_obfuscated_join_format.gguf", e("TEMPLATE-INJECTION", Severity.CRITICAL)),
      Map.entry("malicious/gguf/gguf_chat_template_ssti_cycler_globals.gguf", e("TEMPLATE-INJECTION", Severity.CRITICAL)),
      Map.entry("malicious/gguf/gguf_chat_template_ssti_subclasses.gguf", e("TEMPLATE-INJECTION", Severity.CRITICAL)),
      Map.entry("malicious/hf/chat_template.jinja", e("TEMPLATE-INJECTION", Severity.CRITICAL)),
      Map.entry("malicious/hf/config_auto_map_cross_repo_code.json", e("HF-REMOTE-CODE", Severity.HIGH)),
      Map.entry("malicious/hf/tokenizer_config_chat_template_ssti.json", e("TEMPLATE-INJECTION", Severity.CRITICAL)),
      Map.entry("malicious/hf/tokenizer_config_chat_template_dict_form.json", e("TEMPLATE-INJECTION", Severity.CRITICAL)),
      Map.entry("malicious/hf/tokenizer_config_vocab_file_dotenv.json", e("HF-PATH-ESCAPE", Severity.HIGH)),
      Map.entry("malicious/keras/keras_enable_unsafe_deserialization_cve_2025_9906.keras", e("KERAS-UNSAFE-DESERIALIZATION", Severity.CRITICAL)),
      Map.entry("malicious/keras/keras_fully_qualified_lambda.keras", e("KERAS-LAMBDA", Severity.HIGH)),
      Map.entry("malicious/keras/keras_get_file_gadget_cve_2025_8747.keras", e("KERAS-CALLABLE", Severity.CRITICAL)),
      Map.entry("malicious/keras/keras_lambda_in_nested_sequential.h5", e("KERAS-LAMBDA", Severity.HIGH)),
      Map.entry("malicious/keras/keras_lambda_in_timedistributed.h5", e("KERAS-LAMBDA", Severity.HIGH)),
      Map.entry("malicious/keras/keras_module_function_os_system_cve_2025_1550.keras", e("KERAS-CALLABLE", Severity.CRITICAL)),
      Map.entry("malicious/keras/keras_torch_module_wrapper_cve_2025_49655.keras", e("KERAS-CALLABLE", Severity.HIGH)),
      Map.entry("malicious/keras/keras_zip_slip_member.keras", e("ARCHIVE-PATH-TRAVERSAL", Severity.HIGH)),
      Map.entry("malicious/keras/keras_config_utf8_bom_hides_callable.keras", e("KERAS-CALLABLE", Severity.CRITICAL)),
      Map.entry("malicious/keras/keras_config_utf16_hides_callable.keras", e("KERAS-CALLABLE", Severity.CRITICAL)),
      Map.entry("malicious/keras/keras_config_utf32le_no_bom_hides_callable.keras", e("KERAS-CALLABLE", Severity.CRITICAL)),
      Map.entry("malicious/keras/keras_zip_behind_pickle_decoy.keras", e("KERAS-CALLABLE", Severity.CRITICAL)),
      Map.entry("malicious/keras/keras_h5_user_block_pickle_decoy_hides_lambda.h5", e("KERAS-LAMBDA", Severity.HIGH)),
      Map.entry("malicious/keras/keras_h5_user_block_npy_decoy_hides_lambda.h5", e("KERAS-LAMBDA", Severity.HIGH)),
      Map.entry("malicious/keras/keras_h5_user_block_gguf_decoy_hides_lambda.h5", e("KERAS-LAMBDA", Severity.HIGH)),
      Map.entry("malicious/keras/keras_h5_user_block_gzip_decoy_hides_lambda.h5", e("KERAS-LAMBDA", Severity.HIGH)),
      Map.entry("malicious/keras/keras_h5_user_block_tar_decoy_hides_lambda.h5", e("KERAS-LAMBDA", Severity.HIGH)),
      Map.entry("malicious/keras/keras_stringlookup_vocabulary_path.keras", e("KERAS-FILE-ACCESS", Severity.HIGH)),
      Map.entry("malicious/keras/keras_integerlookup_vocabulary_path.keras", e("KERAS-FILE-ACCESS", Severity.HIGH)),
      Map.entry("malicious/keras/keras_textvectorization_vocabulary_path.keras", e("KERAS-FILE-ACCESS", Severity.HIGH)),
      Map.entry("malicious/keras/keras_tfsmlayer_filepath.keras", e("KERAS-FILE-ACCESS", Severity.HIGH)),
      Map.entry("malicious/tflite/tflite_custom_operator.tflite", e("MODEL-CUSTOM-OP", Severity.MEDIUM)),
      Map.entry("malicious/tflite/tflite_custom_operator_behind_associated_files_zip.tflite", e("MODEL-CUSTOM-OP", Severity.MEDIUM)),
      Map.entry("malicious/tflite/tflite_flex_writefile_operator.tflite", e("TF-FILE-OP", Severity.HIGH)),
      Map.entry("malicious/ort/ort_custom_operator_domain.ort", e("ONNX-CUSTOM-OP", Severity.MEDIUM)),
      Map.entry("malicious/lightgbm/lightgbm_tree_arrays_shorter_than_num_leaves.txt", e("MODEL-STRUCTURE", Severity.HIGH)),
      Map.entry("malicious/xgboost/xgboost_child_index_out_of_range.json", e("MODEL-STRUCTURE", Severity.HIGH)),
      Map.entry("malicious/xgboost/xgboost_child_index_out_of_range.ubj", e("MODEL-STRUCTURE", Severity.HIGH)),
      Map.entry("malicious/flax/flax_array_shape_larger_than_buffer.msgpack", e("MODEL-STRUCTURE", Severity.HIGH)),
      Map.entry("malicious/sentencepiece/sentencepiece_charsmap_trie_size_past_blob.model", e("MODEL-STRUCTURE", Severity.HIGH)),
      Map.entry("malicious/tf_checkpoint/tf_checkpoint_entry_past_data_shard/ckpt.index", e("MODEL-STRUCTURE", Severity.HIGH)),
      Map.entry("malicious/tf_checkpoint/tf_checkpoint_entry_past_data_shard/ckpt.data-00000-of-00001", e("MODEL-STRUCTURE", Severity.HIGH)),
      Map.entry("malicious/orbax/orbax_item_handler_outside_orbax/_CHECKPOINT_METADATA", e("METADATA-CODE", Severity.MEDIUM)),
      Map.entry("malicious/orbax/orbax_ocdbt_manifest_crc_mismatch/manifest.ocdbt", e("MODEL-STRUCTURE", Severity.HIGH)),
      Map.entry("malicious/torch/torchscript_setstate_reads_file.pt", e("TORCH-SCRIPT-SUSPICIOUS", Severity.HIGH)),
      Map.entry("malicious/torch/torchscript_spaced_torch_save_writes_file.pt", e("TORCH-SCRIPT-SUSPICIOUS", Severity.HIGH)),
      Map.entry("malicious/torch/torchscript_aten_from_file_operator.pt", e("TORCH-SCRIPT-SUSPICIOUS", Severity.HIGH)),
      Map.entry("malicious/onnx/onnx_custom_operator_domain.onnx", e("ONNX-CUSTOM-OP", Severity.MEDIUM)),
      Map.entry("malicious/onnx/onnx_external_data_absolute_path.onnx", e("ONNX-EXTERNAL-DATA-ESCAPE", Severity.HIGH)),
      Map.entry("malicious/onnx/onnx_external_data_nested_traversal_cve_2024_27318.onnx", e("ONNX-EXTERNAL-DATA-ESCAPE", Severity.HIGH)),
      Map.entry("malicious/onnx/onnx_external_data_parent_dir_cve_2022_25882.onnx", e("ONNX-EXTERNAL-DATA-ESCAPE", Severity.HIGH)),
      Map.entry("malicious/onnx/onnx_tensor_size_mismatch.onnx", e("ONNX-TENSOR-SIZE", Severity.MEDIUM)),
      Map.entry("malicious/onnx/onnx_sparse_attribute_external_data_escape.onnx", e("ONNX-EXTERNAL-DATA-ESCAPE", Severity.HIGH)),
      Map.entry("malicious/safetensors/safetensors_header_length_past_eof.safetensors", e("SAFETENSORS-HEADER", Severity.HIGH)),
      Map.entry("malicious/safetensors/safetensors_metadata_code.safetensors", e("METADATA-CODE", Severity.MEDIUM)),
      Map.entry("malicious/safetensors/safetensors_overlapping_offsets.safetensors", e("SAFETENSORS-HEADER", Severity.HIGH)),
      Map.entry("malicious/safetensors/safetensors_shape_dtype_mismatch.safetensors", e("SAFETENSORS-HEADER", Severity.HIGH)),
      Map.entry("malicious/tensorflow/tf_keras_metadata_lambda/keras_metadata.pb", e("KERAS-LAMBDA", Severity.HIGH)),
      Map.entry("malicious/tensorflow/tf_pyfunc/saved_model.pb", e("TF-PYFUNC", Severity.CRITICAL)),
      Map.entry("malicious/tensorflow/tf_pyfunc_in_function_library/saved_model.pb", e("TF-PYFUNC", Severity.CRITICAL)),
      Map.entry("malicious/tensorflow/tf_readfile_writefile/saved_model.pb", e("TF-FILE-OP", Severity.HIGH)),
      Map.entry("malicious/tensorflow/tf_textlinedataset_reads_constant_path/saved_model.pb", e("TF-FILE-OP", Severity.HIGH)),
      Map.entry("malicious/tensorflow/tf_tfrecorddataset_streams_from_url/saved_model.pb", e("TF-NETWORK-OP", Severity.HIGH)),
      Map.entry("malicious/tensorflow/tf_fixedlengthrecorddataset_in_function/saved_model.pb", e("TF-FILE-OP", Severity.HIGH)),
      Map.entry("malicious/tensorflow/tf_savev2_prefix_joined_from_constants/saved_model.pb", e("TF-FILE-OP", Severity.HIGH)),
      Map.entry("malicious/tensorflow/tf_savev2_constant_outside_path/saved_model.pb", e("TF-FILE-OP", Severity.HIGH)),
      Map.entry("malicious/tensorflow/tf_debugidentity_grpc_debug_url/saved_model.pb", e("TF-NETWORK-OP", Severity.HIGH)),
      Map.entry("malicious/tensorflow/tf_printv2_to_file/saved_model.pb", e("TF-FILE-OP", Severity.HIGH)),
      Map.entry("malicious/tensorflow/tf_rpc_client_remote_call/saved_model.pb", e("TF-NETWORK-OP", Severity.HIGH)),
      Map.entry("malicious/tensorflow/tf_writefile_nested_in_datasetfromgraph/saved_model.pb", e("TF-FILE-OP", Severity.HIGH))));

  @TestFactory
  Stream<DynamicTest> everyTechniqueRaisesItsRule() {
    return Fixtures.files("malicious").stream()
        .map(p -> DynamicTest.dynamicTest(Fixtures.relative(p), () -> assertCaught(p)));
  }

  private static void assertCaught(Path p) {
    String rel = Fixtures.relative(p);
    Expect expect = rel.contains("/exotic/") ? e("PKL-DENYLISTED-CALL", Severity.CRITICAL)
        : rel.startsWith("malicious/jinja/") ? e("TEMPLATE-INJECTION", p.getFileName().toString().startsWith("unresolved_")
            ? Severity.HIGH : Severity.CRITICAL)
        // pickles that only import a module, calling nothing: the import runs the module's code
        : rel.contains("/import_runs_code/") ? e("PKL-MODULE-NOT-ALLOWLISTED", Severity.HIGH)
        : EXPECTED.get(rel);
    assertThat(expect).as("fixture %s needs an expectation in this test", rel).isNotNull();
    var report = Fixtures.scan(p);
    assertThat(report.findings())
        .as("%s must raise %s at %s", rel, expect.rule(), expect.severity())
        .anySatisfy(f -> {
          assertThat(f.rule().id()).isEqualTo(expect.rule());
          assertThat(f.severity()).isEqualTo(expect.severity());
        });
    // and it never reads as clean at the default threshold
    assertThat(dev.rampart.core.ExitCode.of(report, java.util.Optional.of(Severity.HIGH)))
        .as("%s exit code", rel)
        .isIn(dev.rampart.core.ExitCode.FINDINGS, dev.rampart.core.ExitCode.INCOMPLETE,
            expect.severity() == Severity.MEDIUM ? dev.rampart.core.ExitCode.OK : dev.rampart.core.ExitCode.FINDINGS);
    for (Finding f : report.findings()) {
      assertThat(f.technique().id()).startsWith("AML.");
      assertThat(f.phase()).isNotNull();
    }
  }

  @Test
  void everyExpectationHasItsFixture() {
    for (String rel : EXPECTED.keySet()) {
      assertThat(Fixtures.path(rel)).as("fixture for expectation %s", rel).exists();
    }
  }

  @Test
  void importOnlyCatalogueIsPresent() {
    assertThat(Fixtures.files("malicious/pickle/import_runs_code")).hasSizeGreaterThanOrEqualTo(7);
  }

  @Test
  void exoticCallableCatalogueIsComplete() {
    assertThat(Fixtures.files("malicious/pickle/exotic")).hasSizeGreaterThanOrEqualTo(80);
  }
}
