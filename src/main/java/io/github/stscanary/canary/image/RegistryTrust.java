package io.github.stscanary.canary.image;

import io.github.stscanary.canary.image.ImageBuildException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Trusts extra CA certificates from PEM files, in addition to the JVM's trust store, until {@link
 * #close()}.
 *
 * <p>jib-core 0.27 offers no way to pass an {@code SSLContext}: its HTTP client builds each
 * connection from Apache HttpClient's system socket factory, which calls {@link
 * SSLContext#getDefault()} every time. So this class replaces the default context and restores the
 * previous one on close. Setting {@code javax.net.ssl.trustStore} instead would not work reliably,
 * because the JVM reads that property only once, when the default context is first created, and
 * Maven has usually created it already while downloading artifacts.
 *
 * <p>The default context is JVM-wide: callers must serialize builds that install trust. The new
 * context trusts everything the old one trusted, so other threads that use it meanwhile lose
 * nothing.
 */
final class RegistryTrust implements AutoCloseable {

  private final SSLContext previous;

  private RegistryTrust(SSLContext previous) {
    this.previous = previous;
  }

  /**
   * Makes the default {@code SSLContext} trust the JVM's CAs plus the certificates in {@code
   * caFiles}.
   *
   * @throws ImageBuildException if a file is missing or contains no PEM certificate
   */
  static RegistryTrust install(List<Path> caFiles) throws ImageBuildException {
    SSLContext context = context(caFiles);
    try {
      SSLContext previous = SSLContext.getDefault();
      SSLContext.setDefault(context);
      return new RegistryTrust(previous);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("The JVM has no default TLS context", e);
    }
  }

  /**
   * Returns a context that trusts the JVM's CAs plus the certificates in {@code caFiles}, without
   * installing it, for clients that take an {@code SSLContext}.
   *
   * @throws ImageBuildException if a file is missing or contains no PEM certificate
   */
  static SSLContext context(List<Path> caFiles) throws ImageBuildException {
    List<X509Certificate> extraCertificates = new ArrayList<>();
    for (Path caFile : caFiles) {
      extraCertificates.addAll(readCertificates(caFile));
    }
    try {
      return contextTrusting(extraCertificates);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Failed to create a TLS context with the CA files", e);
    }
  }

  @Override
  public void close() {
    SSLContext.setDefault(previous);
  }

  static List<X509Certificate> readCertificates(Path caFile) throws ImageBuildException {
    if (!Files.isRegularFile(caFile)) {
      throw new ImageBuildException(
          Reason.INVALID_REQUEST,
          "CA file "
              + caFile
              + " not found. Set <caFile> (-Dcanary.caFile) to the registry's CA certificate in"
              + " PEM form.");
    }
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(caFile)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (CertificateException | IOException e) {
      throw invalidCaFile(caFile, e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw invalidCaFile(caFile, "no certificate found", null);
    }
    List<X509Certificate> result = new ArrayList<>();
    for (Certificate certificate : certificates) {
      result.add((X509Certificate) certificate);
    }
    return result;
  }

  private static ImageBuildException invalidCaFile(Path caFile, String detail, Throwable cause) {
    return new ImageBuildException(
        Reason.INVALID_REQUEST,
        "Invalid CA file "
            + caFile
            + " ("
            + detail
            + "). <caFile> (-Dcanary.caFile) must contain one or more PEM certificates"
            + " (-----BEGIN CERTIFICATE-----).",
        cause);
  }

  private static SSLContext contextTrusting(List<X509Certificate> extraCertificates)
      throws GeneralSecurityException, IOException {
    KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
    trustStore.load(null, null);
    int index = 0;
    for (X509Certificate certificate : defaultTrustManager().getAcceptedIssuers()) {
      trustStore.setCertificateEntry("jvm-" + index++, certificate);
    }
    for (X509Certificate certificate : extraCertificates) {
      trustStore.setCertificateEntry("extra-" + index++, certificate);
    }
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trustStore);

    SSLContext context = SSLContext.getInstance("TLS");
    context.init(systemKeyManagers(), trustManagers.getTrustManagers(), null);
    return context;
  }

  /** Returns the trust manager built from {@code javax.net.ssl.trustStore} or the JDK cacerts. */
  private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("The JVM has no X.509 trust manager");
  }

  /**
   * Returns key managers for the client certificate in {@code javax.net.ssl.keyStore}, as the JVM's
   * default context would use, or null when that property is unset.
   */
  private static KeyManager[] systemKeyManagers() throws GeneralSecurityException, IOException {
    String keyStorePath = System.getProperty("javax.net.ssl.keyStore");
    if (keyStorePath == null || keyStorePath.isEmpty() || "NONE".equals(keyStorePath)) {
      return null;
    }
    String type = System.getProperty("javax.net.ssl.keyStoreType", KeyStore.getDefaultType());
    String password = System.getProperty("javax.net.ssl.keyStorePassword", "");
    KeyStore keyStore = KeyStore.getInstance(type);
    try (InputStream in = Files.newInputStream(Path.of(keyStorePath))) {
      keyStore.load(in, password.toCharArray());
    }
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keyStore, password.toCharArray());
    return factory.getKeyManagers();
  }
}
