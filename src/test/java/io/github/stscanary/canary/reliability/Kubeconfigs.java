package io.github.stscanary.canary.reliability;

import io.github.stscanary.canary.testing.ClusterEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Writes variants of the environment's kubeconfigs and tokens for access failures. */
final class Kubeconfigs {

  private static final Pattern TOKEN = Pattern.compile("(?m)^\\s*token: (\\S+)$");
  private static final Pattern CLIENT_KEY = Pattern.compile("(?m)^\\s*client-key-data: (\\S+)$");

  private Kubeconfigs() {}

  /** Writes the admin kubeconfig with {@code edit} applied to {@code directory/name}. */
  static Path admin(
      ClusterEnvironment environment, Path directory, String name, UnaryOperator<String> edit) {
    return write(directory.resolve(name), edit.apply(read(environment.adminKubeconfig())));
  }

  /** Writes the restricted kubeconfig with {@code edit} applied to {@code directory/name}. */
  static Path restricted(
      ClusterEnvironment environment, Path directory, String name, UnaryOperator<String> edit) {
    return write(directory.resolve(name), edit.apply(read(environment.restrictedKubeconfig())));
  }

  /** Returns an edit that points the kubeconfig at {@code url}. */
  static UnaryOperator<String> server(String url) {
    return yaml -> yaml.replaceAll("(?m)^(\\s*server: ).*$", "$1" + Matcher.quoteReplacement(url));
  }

  /** Returns an edit that replaces the bearer token. */
  static UnaryOperator<String> token(String token) {
    return yaml -> yaml.replaceAll("(?m)^(\\s*token: ).*$", "$1" + Matcher.quoteReplacement(token));
  }

  /** Returns an edit that drops the cluster CA, so the API server's certificate is unknown. */
  static UnaryOperator<String> withoutCa() {
    return yaml -> yaml.replaceAll("(?m)^\\s*certificate-authority-data: .*\\n", "");
  }

  /** Returns an edit that replaces the cluster CA with insecure-skip-tls-verify: true. */
  static UnaryOperator<String> skipTlsVerify() {
    return yaml ->
        yaml.replaceAll(
            "(?m)^(\\s*)certificate-authority-data: .*$", "$1insecure-skip-tls-verify: true");
  }

  /** Returns the bearer token of the restricted kubeconfig. */
  static String restrictedToken(ClusterEnvironment environment) {
    return find(TOKEN, read(environment.restrictedKubeconfig()), "token");
  }

  /** Returns the base64 client-key-data of the admin kubeconfig. */
  static String adminClientKeyData(ClusterEnvironment environment) {
    return find(CLIENT_KEY, read(environment.adminKubeconfig()), "client-key-data");
  }

  /** Returns a TCP port on 127.0.0.1 that nothing listens on right now. */
  static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns a ServiceAccount token for {@code namespace/name} with {@code uid}, signed with the
   * environment's ServiceAccount signing key as kube-apiserver signs its own, and expiring at
   * {@code expiry}. The claims follow those of 'kubectl create token'.
   */
  static String serviceAccountToken(
      ClusterEnvironment environment,
      String namespace,
      String name,
      String uid,
      Instant issuedAt,
      Instant expiry) {
    String issuer = "https://kubernetes.default.svc.cluster.local";
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    String claims =
        "{\"aud\":[\""
            + issuer
            + "\"],\"exp\":"
            + expiry.getEpochSecond()
            + ",\"iat\":"
            + issuedAt.getEpochSecond()
            + ",\"nbf\":"
            + issuedAt.getEpochSecond()
            + ",\"iss\":\""
            + issuer
            + "\",\"jti\":\""
            + UUID.randomUUID()
            + "\",\"sub\":\"system:serviceaccount:"
            + namespace
            + ":"
            + name
            + "\",\"kubernetes.io\":{\"namespace\":\""
            + namespace
            + "\",\"serviceaccount\":{\"name\":\""
            + name
            + "\",\"uid\":\""
            + uid
            + "\"}}}";
    String signed = base64Url(header) + "." + base64Url(claims);
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(signingKey(environment));
      signature.update(signed.getBytes(StandardCharsets.US_ASCII));
      return signed
          + "."
          + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Failed to sign a ServiceAccount token", e);
    }
  }

  // start writes the key with 'openssl genpkey', as PKCS#8 PEM.
  private static PrivateKey signingKey(ClusterEnvironment environment)
      throws GeneralSecurityException {
    Path key = Path.of(environment.get("CLUSTER_CA")).resolveSibling("service-account.key");
    String pem =
        read(key)
            .replace("-----BEGIN PRIVATE KEY-----", "")
            .replace("-----END PRIVATE KEY-----", "")
            .replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
  }

  private static String base64Url(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String find(Pattern pattern, String yaml, String field) {
    Matcher matcher = pattern.matcher(yaml);
    if (!matcher.find()) {
      throw new IllegalStateException("Kubeconfig has no " + field);
    }
    return matcher.group(1);
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path write(Path file, String text) {
    try {
      return Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
