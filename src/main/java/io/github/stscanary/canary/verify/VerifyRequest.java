package io.github.stscanary.canary.verify;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What {@code canary:verify} requests and what it expects in the responses.
 *
 * @param statefulSet name of the StatefulSet in the connection's namespace
 * @param serviceName Service to send traffic through, or {@code null} for the StatefulSet's {@code
 *     spec.serviceName}
 * @param servicePort port of the Service, as a number or a port name, or {@code null} for its first
 *     port
 * @param path path requested from each pod and through the Service, starting with {@code /}, with
 *     an optional query string
 * @param requests number of requests through the Service, at least 1
 * @param url URL requested in place of the API server's service proxy, such as a NodePort, or
 *     {@code null}
 * @param expectCanary pattern that a canary pod's body must contain, or {@code null} to accept any
 *     body with a 2xx status
 * @param expectStable pattern that a stable pod's body must contain, or {@code null} likewise
 * @param settledOnCanary when every pod runs one revision: {@code true} checks them against {@code
 *     expectCanary}, because a deploy or promote has just moved them all to the new version; {@code
 *     false} accepts whichever of the two expectations the pods match, the same one for all
 * @param requestTimeout timeout of one request, including the body
 * @param timeout limit of the whole verification, including the wait for the Service's endpoints
 */
public record VerifyRequest(
    String statefulSet,
    String serviceName,
    String servicePort,
    String path,
    int requests,
    URI url,
    Pattern expectCanary,
    Pattern expectStable,
    boolean settledOnCanary,
    Duration requestTimeout,
    Duration timeout) {

  public VerifyRequest {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException(
          "Invalid canary.verifyPath '"
              + path
              + "': it must start with '/', for example -Dcanary.verifyPath=/version.html.");
    }
    if (requests < 1) {
      throw new IllegalArgumentException(
          "Invalid canary.verifyRequests "
              + requests
              + ": it must be at least 1, for example -Dcanary.verifyRequests=50.");
    }
    if (timeout.isZero()) {
      throw new IllegalArgumentException(
          "Invalid canary.verifyTimeout 0: it must be above 0, for example"
              + " -Dcanary.verifyTimeout=2m.");
    }
    if (requestTimeout.isZero()) {
      throw new IllegalArgumentException(
          "Invalid canary.requestTimeout 0: it must be above 0, for example"
              + " -Dcanary.requestTimeout=30s.");
    }
  }

  /**
   * Returns the URL in {@code text}, or {@code null} for a blank one.
   *
   * @throws IllegalArgumentException when it is not an absolute http or https URL
   */
  public static URI parseUrl(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      URI url = new URI(text.trim());
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase();
      if ((scheme.equals("http") || scheme.equals("https")) && url.getHost() != null) {
        return url;
      }
    } catch (URISyntaxException e) {
      // The error below names the expected form.
    }
    throw new IllegalArgumentException(
        "Invalid canary.verifyUrl '"
            + text
            + "': expected an absolute http or https URL such as"
            + " -Dcanary.verifyUrl=http://127.0.0.1:30080/version.html.");
  }

  /**
   * Compiles the pattern in {@code text}, or returns {@code null} for a blank one.
   *
   * @param property the property the pattern came from, named in the error
   * @throws IllegalArgumentException when the pattern is not a valid Java regular expression
   */
  public static Pattern parsePattern(String text, String property) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "Invalid regular expression in "
              + property
              + ": "
              + e.getDescription()
              + " near index "
              + e.getIndex()
              + " of '"
              + text
              + "'. Quote literal text with \\Q...\\E, for example -D"
              + property
              + "='\\QThis is V2\\E'.");
    }
  }

  /** Returns the explicit URL of the Service check, when one is set. */
  public Optional<URI> verifyUrl() {
    return Optional.ofNullable(url);
  }

  /** Returns a copy that expects {@code expectCanary} once every pod runs one revision. */
  public VerifyRequest afterRollout() {
    return new VerifyRequest(
        statefulSet,
        serviceName,
        servicePort,
        path,
        requests,
        url,
        expectCanary,
        expectStable,
        true,
        requestTimeout,
        timeout);
  }
}
