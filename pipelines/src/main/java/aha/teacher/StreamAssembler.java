package aha.teacher;

import aha.teacher.ChatCodec.MalformedResponseException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Assembles a streamed (server-sent events) response from its {@code data:} lines: content and
 * {@code reasoning_content} deltas per choice index, the finish reason of each choice, and the
 * usage that arrives in the last chunk. {@code data: [DONE]} ends the stream; a stream that ends
 * without it is treated as cut off by the caller.
 */
final class StreamAssembler {
  private final Map<Integer, Builder> choices = new TreeMap<>();
  private String id = "";
  private String model = "";
  private Usage usage;
  private boolean done;

  private static final class Builder {
    final StringBuilder content = new StringBuilder();
    final StringBuilder reasoning = new StringBuilder();
    String finishReason;
  }

  /** Feeds one line of the event stream (without its line terminator). */
  void line(String line) throws MalformedResponseException, StreamErrorException {
    if (line.isEmpty() || line.startsWith(":")) return; // event separator or comment/keep-alive
    if (!line.startsWith("data:")) return; // "event:", "id:", "retry:" carry nothing we need
    String data = line.substring(5).strip();
    if (data.equals("[DONE]")) {
      done = true;
      return;
    }
    JsonNode chunk = ChatCodec.read(data);
    if (chunk.has("error")) {
      JsonNode err = chunk.get("error");
      throw new StreamErrorException(err.isObject() ? err.path("message").asText() : err.asText());
    }
    if (id.isEmpty()) id = chunk.path("id").asText("");
    if (model.isEmpty()) model = chunk.path("model").asText("");
    Usage u = ChatCodec.usageOf(chunk);
    if (u != null) usage = u;
    for (JsonNode c : chunk.path("choices")) {
      Builder b = choices.computeIfAbsent(c.path("index").asInt(0), i -> new Builder());
      JsonNode delta = c.path("delta");
      String content = ChatCodec.textOrNull(delta.get("content"));
      if (content != null) b.content.append(content);
      String reasoning = ChatCodec.reasoningOf(delta);
      if (reasoning != null) b.reasoning.append(reasoning);
      String finish = ChatCodec.textOrNull(c.get("finish_reason"));
      if (finish != null) b.finishReason = finish;
    }
  }

  boolean done() {
    return done;
  }

  ChatResponse response() {
    List<Choice> out = new ArrayList<>();
    choices.forEach(
        (index, b) ->
            out.add(
                Choice.of(index, b.content.toString(), b.reasoning.toString(), b.finishReason)));
    return new ChatResponse(id, model, out, usage);
  }

  /** An {@code {"error": ...}} event inside a stream (vLLM sends these on engine failures). */
  static final class StreamErrorException extends Exception {
    StreamErrorException(String message) {
      super(message);
    }
  }
}
