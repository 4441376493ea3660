package aha.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeCacheTest {
  @TempDir Path tmp;

  @Test
  void rendersExactlyWhatPythonsJsonDumpWrites() throws Exception {
    List<RepoFile> files =
        List.of(
            new RepoFile("w.safetensors", 9, "b".repeat(40), "c".repeat(64), "d".repeat(64)),
            new RepoFile("donn\u00e9es/\u00e9.txt", 3, "a".repeat(40), null, null));
    // json.dumps(data, indent=1) from Python 3.11, huggingface_hub's write_tree_cache
    String python =
        "{\n \"format_version\": 1,\n \"files\": {\n  \"donn\\u00e9es/\\u00e9.txt\": {\n   \"size\": 3,\n"
            + "   \"blob_id\": \""
            + "a".repeat(40)
            + "\"\n  },\n  \"w.safetensors\": {\n   \"size\": 9,\n"
            + "   \"blob_id\": \""
            + "b".repeat(40)
            + "\",\n   \"lfs_sha256\": \""
            + "c".repeat(64)
            + "\",\n"
            + "   \"lfs_size\": 9,\n   \"xet_hash\": \""
            + "d".repeat(64)
            + "\"\n  }\n }\n}";
    assertThat(TreeCache.render(files)).isEqualTo(python);
    assertThat(TreeCache.render(List.of()))
        .isEqualTo("{\n \"format_version\": 1,\n \"files\": {}\n}");

    TreeCache.write(tmp, "c0ffee", files);
    assertThat(TreeCache.read(tmp, "c0ffee"))
        .get()
        .asList()
        .containsExactlyInAnyOrderElementsOf(files);
    assertThat(TreeCache.read(tmp, "missing")).isEmpty();
  }
}
