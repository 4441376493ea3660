package aha.teacher;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A chat-completions request. Sampling values left {@code null} are not sent, so the server's own
 * defaults apply (open-r1's generator does the same for temperature and top_p). {@code extra} holds
 * any further body fields passed through unchanged ({@code seed}, {@code top_k}, {@code min_p},
 * {@code repetition_penalty}, ...); it is kept sorted so the request key does not depend on
 * insertion order.
 */
public record ChatRequest(
    String model,
    List<ChatMessage> messages,
    int n,
    Double temperature,
    Double topP,
    Integer maxTokens,
    Map<String, Object> extra,
    boolean stream) {

  public ChatRequest {
    Objects.requireNonNull(model, "model");
    messages = List.copyOf(messages);
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a chat request needs at least one message");
    }
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, got " + n);
    }
    extra = extra == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(extra));
  }

  /** A single-message request with server-default sampling. */
  public static ChatRequest of(String model, String userMessage) {
    return new ChatRequest(
        model, List.of(ChatMessage.user(userMessage)), 1, null, null, null, Map.of(), false);
  }

  public ChatRequest withStream(boolean value) {
    return new ChatRequest(model, messages, n, temperature, topP, maxTokens, extra, value);
  }

  public ChatRequest withN(int value) {
    return new ChatRequest(model, messages, value, temperature, topP, maxTokens, extra, stream);
  }

  public ChatRequest withSampling(Double temperature, Double topP, Integer maxTokens) {
    return new ChatRequest(model, messages, n, temperature, topP, maxTokens, extra, stream);
  }

  /** Returns a copy with one more pass-through body field (e.g. {@code seed}). */
  public ChatRequest withExtra(String key, Object value) {
    Map<String, Object> copy = new TreeMap<>(extra);
    copy.put(key, value);
    return new ChatRequest(model, messages, n, temperature, topP, maxTokens, copy, stream);
  }
}
