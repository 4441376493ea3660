package aha.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Allow/ignore glob patterns with the semantics of {@code
 * huggingface_hub.utils.filter_repo_objects}: Python's {@code fnmatch} on the whole path, where
 * {@code *} also crosses {@code /}, and a pattern ending with {@code /} means everything under that
 * folder.
 */
public final class PathPatterns {
  private final List<Pattern> allow;
  private final List<Pattern> ignore;

  private PathPatterns(List<Pattern> allow, List<Pattern> ignore) {
    this.allow = allow;
    this.ignore = ignore;
  }

  /** Empty or null {@code allow} means "everything"; {@code ignore} removes from that. */
  public static PathPatterns of(List<String> allow, List<String> ignore) {
    return new PathPatterns(compile(allow), compile(ignore));
  }

  public static PathPatterns all() {
    return new PathPatterns(List.of(), List.of());
  }

  public boolean matches(String path) {
    if (!allow.isEmpty() && allow.stream().noneMatch(p -> p.matcher(path).matches())) {
      return false;
    }
    return ignore.stream().noneMatch(p -> p.matcher(path).matches());
  }

  private static List<Pattern> compile(List<String> globs) {
    List<Pattern> out = new ArrayList<>();
    if (globs != null) {
      for (String g : globs) {
        out.add(Pattern.compile(toRegex(g.endsWith("/") ? g + "*" : g)));
      }
    }
    return out;
  }

  /**
   * fnmatch.translate: {@code *} any run, {@code ?} one char, {@code [...]}/{@code [!...]} classes.
   */
  static String toRegex(String glob) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < glob.length()) {
      char c = glob.charAt(i++);
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else if (c == '[') {
        int j = i;
        if (j < glob.length() && glob.charAt(j) == '!') {
          j++;
        }
        if (j < glob.length() && glob.charAt(j) == ']') {
          j++;
        }
        while (j < glob.length() && glob.charAt(j) != ']') {
          j++;
        }
        if (j >= glob.length()) {
          re.append("\\[");
        } else {
          String body = glob.substring(i, j).replace("\\", "\\\\");
          i = j + 1;
          if (body.startsWith("!")) {
            body = "^" + body.substring(1);
          } else if (body.startsWith("^")) {
            body = "\\" + body;
          }
          re.append('[').append(body).append(']');
        }
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return "(?s:" + re + ")";
  }
}
