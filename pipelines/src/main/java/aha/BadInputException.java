package aha;

/**
 * Input the user can fix: a recipe, an argument, a file. The CLI prints the message as one
 * sentence on stderr and exits with code 2. The message should name the file, line, key and what
 * was expected.
 */
public class BadInputException extends RuntimeException {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
