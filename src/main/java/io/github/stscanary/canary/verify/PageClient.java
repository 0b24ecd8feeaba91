package io.github.stscanary.canary.verify;

import java.time.Duration;

/** Sends one GET request for a page and returns the response, within a timeout. */
interface PageClient {

  /**
   * Requests {@code target} and returns the response. A timeout, a refused connection or another
   * transport error returns a {@link PageResponse#failure failure} and is never thrown.
   */
  PageResponse get(String target, Duration timeout) throws InterruptedException;
}
