package io.github.stscanary.canary.maven;

import io.github.stscanary.canary.ProgressLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * Translates the active settings.xml {@code <proxies>} into the Java system properties that
 * jib-core's HTTP client reads: {@code http.proxyHost}, {@code https.proxyPort}, {@code
 * http.nonProxyHosts}, {@code https.proxyUser} and so on.
 */
final class SettingsProxies {

  private SettingsProxies() {}

  /**
   * Returns the proxy properties for HTTP and HTTPS. A protocol whose {@code <protocol>.proxyHost}
   * system property is already set, for example with {@code -Dhttps.proxyHost}, keeps it. An active
   * proxy with protocol {@code http} serves HTTPS as well unless one with protocol {@code https} is
   * active, because settings.xml files commonly declare only the former.
   *
   * @throws MojoFailureException if a proxy password cannot be decrypted
   */
  static Map<String, String> properties(
      Settings settings, SettingsDecrypter decrypter, ProgressLog log) throws MojoFailureException {
    Map<String, String> properties = new LinkedHashMap<>();
    if (settings == null) {
      return properties;
    }
    for (String protocol : List.of("http", "https")) {
      if (System.getProperty(protocol + ".proxyHost") != null) {
        log.debug("Keeping the " + protocol + ".proxyHost system property over settings.xml");
        continue;
      }
      Optional<Proxy> proxy = activeProxy(settings.getProxies(), protocol);
      if (proxy.isPresent()) {
        Proxy decrypted = decrypt(proxy.get(), decrypter);
        addProperties(properties, protocol, decrypted);
        log.info(
            "Using proxy "
                + decrypted.getHost()
                + ":"
                + decrypted.getPort()
                + " from settings.xml <proxy> '"
                + decrypted.getId()
                + "' for "
                + protocol.toUpperCase());
      }
    }
    return properties;
  }

  private static Optional<Proxy> activeProxy(List<Proxy> proxies, String protocol) {
    Optional<Proxy> exact =
        proxies.stream()
            .filter(Proxy::isActive)
            .filter(p -> protocol.equalsIgnoreCase(p.getProtocol()))
            .findFirst();
    if (exact.isPresent() || !"https".equals(protocol)) {
      return exact;
    }
    return activeProxy(proxies, "http");
  }

  private static void addProperties(Map<String, String> properties, String protocol, Proxy proxy) {
    properties.put(protocol + ".proxyHost", proxy.getHost());
    properties.put(protocol + ".proxyPort", String.valueOf(proxy.getPort()));
    if (proxy.getUsername() != null && proxy.getPassword() != null) {
      properties.put(protocol + ".proxyUser", proxy.getUsername());
      properties.put(protocol + ".proxyPassword", proxy.getPassword());
    }
    // The JDK's proxy selector reads http.nonProxyHosts for HTTPS too; it has no https variant.
    String nonProxyHosts = proxy.getNonProxyHosts();
    if (nonProxyHosts != null
        && !nonProxyHosts.isBlank()
        && System.getProperty("http.nonProxyHosts") == null) {
      properties.putIfAbsent("http.nonProxyHosts", nonProxyHosts.replace(',', '|'));
    }
  }

  private static Proxy decrypt(Proxy proxy, SettingsDecrypter decrypter)
      throws MojoFailureException {
    SettingsDecryptionResult result =
        decrypter.decrypt(new DefaultSettingsDecryptionRequest(proxy));
    for (SettingsProblem problem : result.getProblems()) {
      if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
        throw new MojoFailureException(
            "Failed to decrypt the password of settings.xml <proxy> '"
                + proxy.getId()
                + "': "
                + problem.getMessage()
                + ". Check the master password in ~/.m2/settings-security.xml.");
      }
    }
    return result.getProxy();
  }
}
