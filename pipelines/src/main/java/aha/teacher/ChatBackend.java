package aha.teacher;

import java.util.List;

/**
 * What answers chat requests behind {@link LocalTeacherServer}: the scripted R1-style {@link
 * LocalTeacher}, or a trained checkpoint ({@code aha serve}), on the same OpenAI-compatible path.
 */
public interface ChatBackend {
  /** The model id served under {@code /v1/models}. */
  String model();

  /** The {@code n} completions of one request. */
  List<LocalTeacher.Completion> complete(ChatRequest request);
}
