package aha.hub;

import static org.assertj.core.api.Assertions.assertThat;

import aha.model.Checkpoint;
import aha.model.SafeTensors;
import aha.model.TinyStudent;
import aha.model.chat.ChatMessage;
import aha.sft.StudentSpec;
import aha.sft.Students;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sft stage's {@code model: {hub: ...}} start: the student is downloaded from a Hub (the fake
 * one on 127.0.0.1; here because FakeHub is package-private) into the HF cache and loaded.
 */
class StudentFromHubTest {
  @AfterEach
  void reset() {
    HubSettings.environmentForTests = null;
  }

  @Test
  void aHubStudentIsSnapshottedIntoTheCacheAndLoaded(@TempDir Path tmp) throws Exception {
    Path folder = tmp.resolve("model");
    new TinyStudent(TinyStudent.DEFAULT_ALPHABET, 32, 1, 2, 1, 64, 64, 4).write(folder, SafeTensors.Dtype.F32);
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (Stream<Path> s = Files.list(folder)) {
      for (Path f : s.toList()) files.put(f.getFileName().toString(), Files.readAllBytes(f));
    }
    try (FakeHub hub = new FakeHub()) {
      hub.createRepo(RepoType.MODEL, "org/student");
      String commit = hub.commit(RepoType.MODEL, "org/student", files);
      Path cache = tmp.resolve("cache");
      HubSettings.environmentForTests = Map.of("HF_ENDPOINT", hub.endpoint(), "HF_HUB_CACHE", cache.toString());
      StudentSpec spec = new StudentSpec(null, null, null, null, null, null, null, null, null, "org/student", null);
      assertThat(spec.revision()).isEqualTo("main");
      try (NDManager m = NDManager.newBaseManager();
          Checkpoint c = Students.open(spec, List.of(List.of(ChatMessage.user("x"))), 64, 1, tmp, m);
          Checkpoint original = Checkpoint.load(folder, m)) {
        assertThat(c.model().config()).isEqualTo(original.model().config());
        assertThat(c.model().parameters().get("model.norm.weight").toFloatArray())
            .containsExactly(original.model().parameters().get("model.norm.weight").toFloatArray());
        assertThat(c.tokenizer().tokenId("<|im_end|>")).isEqualTo(original.tokenizer().tokenId("<|im_end|>"));
      }
      assertThat(cache.resolve("models--org--student/snapshots/" + commit + "/model.safetensors")).exists();
    }
  }
}
