package aha.teacher;

import java.util.List;

/** A finished chat-completions response: every choice, in index order, and the usage. */
public record ChatResponse(String id, String model, List<Choice> choices, Usage usage) {
  public ChatResponse {
    choices = List.copyOf(choices);
    usage = usage == null ? Usage.NONE : usage;
  }
}
