package aha.teacher;

import java.util.Objects;

/** One chat message of the OpenAI chat-completions protocol: {@code {"role", "content"}}. */
public record ChatMessage(String role, String content) implements java.io.Serializable {
  public ChatMessage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  public static ChatMessage system(String content) {
    return new ChatMessage("system", content);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage("user", content);
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage("assistant", content);
  }
}
