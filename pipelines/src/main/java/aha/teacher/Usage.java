package aha.teacher;

/** Token counts a server reports for one response (all choices together). */
public record Usage(long promptTokens, long completionTokens, long totalTokens) {
  public static final Usage NONE = new Usage(0, 0, 0);
}
