package io.github.stscanary.canary.image;

import io.github.stscanary.canary.ProgressLog;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Opens one connection to a registry, with a TLS handshake unless insecure registries are allowed,
 * before jib-core runs. jib-core 0.27 retries refused connections and failed TLS handshakes for
 * about a minute before it reports them; the probe reports them at once.
 *
 * <p>Only definite failures stop the build: a refused connection, an unknown host, an untrusted
 * certificate, or a server that does not speak TLS. A timeout or any other error is logged at debug
 * level and left to jib-core, which may still succeed, for example through a proxy.
 */
final class RegistryProbe {

  private static final int TIMEOUT_MILLIS = 10_000;
  private static final int HTTPS_PORT = 443;

  private final ProgressLog log;

  RegistryProbe(ProgressLog log) {
    this.log = log;
  }

  /**
   * Connects to {@code registry} ({@code host[:port]}) and completes a TLS handshake with the
   * default {@code SSLContext} and host name verification.
   *
   * @throws ImageBuildException if the registry is definitely unreachable or untrusted
   */
  void check(String registry, RegistryFailures failures) throws ImageBuildException {
    URI uri = URI.create("https://" + registry);
    String host = stripBrackets(uri.getHost());
    int port = uri.getPort() < 0 ? HTTPS_PORT : uri.getPort();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
      handshake(socket, host, port);
      log.debug("Registry " + registry + " accepted a TLS connection");
    } catch (SocketTimeoutException e) {
      log.debug("Probe of registry " + registry + " timed out; leaving it to jib: " + e);
    } catch (IOException e) {
      Optional<ImageBuildException> known = failures.classify(e, registry);
      if (known.isPresent()) {
        throw known.get();
      }
      log.debug("Probe of registry " + registry + " failed; leaving it to jib: " + e);
    }
  }

  private static void handshake(Socket socket, String host, int port) throws IOException {
    SSLContext context;
    try {
      context = SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JVM has no default TLS context", e);
    }
    try (SSLSocket tls =
        (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, false)) {
      SSLParameters parameters = tls.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      tls.setSSLParameters(parameters);
      tls.setSoTimeout(TIMEOUT_MILLIS);
      tls.startHandshake();
    }
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
