package io.github.stscanary.canary.verify;

import java.util.regex.Pattern;

/**
 * The response to one page request: an HTTP status and body, or the error that left it without one.
 *
 * @param status HTTP status code, or -1 when no response arrived
 * @param body response body, or empty
 * @param error why no response arrived (timeout, refused connection), or {@code null}
 */
public record PageResponse(int status, String body, String error) {

  /** Maximum length of {@link #excerpt()}, in characters. */
  static final int EXCERPT_LENGTH = 60;

  static PageResponse response(int status, String body) {
    return new PageResponse(status, body == null ? "" : body, null);
  }

  static PageResponse failure(String error) {
    return new PageResponse(-1, "", error);
  }

  /** Returns whether a response arrived with a 2xx status. */
  public boolean successful() {
    return error == null && status >= 200 && status < 300;
  }

  /** Returns whether the response is successful and {@code pattern} occurs in its body. */
  public boolean matches(Pattern pattern) {
    return successful() && pattern.matcher(body).find();
  }

  /** Returns the status column of the pod table: the code, or {@code -} without a response. */
  public String statusText() {
    return error == null ? Integer.toString(status) : "-";
  }

  /**
   * Returns the body, or the error, on one line with runs of whitespace collapsed, cut to {@link
   * #EXCERPT_LENGTH} characters with {@code ...} at the end when longer.
   */
  public String excerpt() {
    return excerpt(error == null ? body : error);
  }

  static String excerpt(String text) {
    String line = text.replaceAll("\\s+", " ").trim();
    if (line.length() <= EXCERPT_LENGTH) {
      return line;
    }
    return line.substring(0, EXCERPT_LENGTH - 3) + "...";
  }
}
