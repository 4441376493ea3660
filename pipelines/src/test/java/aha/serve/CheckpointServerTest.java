package aha.serve;

import static org.assertj.core.api.Assertions.assertThat;

import aha.model.SafeTensors;
import aha.model.TinyStudent;
import aha.teacher.ChatMessage;
import aha.teacher.ChatRequest;
import aha.teacher.ChatResponse;
import aha.teacher.LocalTeacherServer;
import aha.teacher.TeacherClient;
import aha.teacher.TeacherClientConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint served on the OpenAI protocol answers the teacher client like any other server. */
class CheckpointServerTest {
  @Test
  void aCheckpointAnswersChatCompletionsOverHttp(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("student");
    TinyStudent.defaults(3).write(dir, SafeTensors.Dtype.F32);
    try (CheckpointBackend backend = new CheckpointBackend(dir, "student", 16);
        LocalTeacherServer server = LocalTeacherServer.start("127.0.0.1", 0, backend, LocalTeacherServer.Faults.NONE);
        TeacherClient client = new TeacherClient(TeacherClientConfig.defaults(server.baseUrl(), null))) {
      ChatRequest request = new ChatRequest("student", List.of(ChatMessage.user("Use 3 4 5 to make 12.")), 3, 1.0, 0.95, 12,
          Map.of("seed", 7), false);
      ChatResponse first = client.complete(request);
      assertThat(first.choices()).hasSize(3);
      assertThat(first.choices()).allSatisfy(c -> assertThat(c.finishReason()).isIn("stop", "length"));
      assertThat(first.usage().completionTokens()).isPositive().isLessThanOrEqualTo(3 * 12);
      // the same seed gives the same samples; streaming gives the same text
      assertThat(client.complete(request).choices()).isEqualTo(first.choices());
      assertThat(client.complete(request.withStream(true)).choices()).extracting(c -> c.content())
          .isEqualTo(first.choices().stream().map(c -> c.content()).toList());
      ChatResponse greedy = client.complete(new ChatRequest("student", request.messages(), 1, 0.0, null, 8, Map.of(), false));
      assertThat(client.complete(new ChatRequest("student", request.messages(), 1, 0.0, null, 8, Map.of(), false)).choices())
          .isEqualTo(greedy.choices());
    }
  }
}
