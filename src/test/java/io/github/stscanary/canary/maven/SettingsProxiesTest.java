package io.github.stscanary.canary.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.stscanary.canary.ProgressLog;
import java.util.Map;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SettingsProxiesTest {

  private final Settings settings = new Settings();
  private String savedHttpsProxyHost;

  @BeforeEach
  void clearHttpsProxyHost() {
    savedHttpsProxyHost = System.clearProperty("https.proxyHost");
  }

  @AfterEach
  void restoreHttpsProxyHost() {
    if (savedHttpsProxyHost == null) {
      System.clearProperty("https.proxyHost");
    } else {
      System.setProperty("https.proxyHost", savedHttpsProxyHost);
    }
  }

  private Proxy addProxy(String id, String protocol, String host, int port) {
    Proxy proxy = new Proxy();
    proxy.setId(id);
    proxy.setProtocol(protocol);
    proxy.setHost(host);
    proxy.setPort(port);
    settings.addProxy(proxy);
    return proxy;
  }

  private Map<String, String> properties() throws Exception {
    return SettingsProxies.properties(
        settings, new RegistryCredentialResolverTest.PrefixDecrypter(), NO_LOG);
  }

  @Test
  void httpProxyServesHttpsToo() throws Exception {
    addProxy("corporate", "http", "127.0.0.1", 3128);

    Map<String, String> properties = properties();

    assertThat(properties)
        .containsEntry("http.proxyHost", "127.0.0.1")
        .containsEntry("http.proxyPort", "3128")
        .containsEntry("https.proxyHost", "127.0.0.1")
        .containsEntry("https.proxyPort", "3128");
  }

  @Test
  void httpsProxyWinsForHttps() throws Exception {
    addProxy("plain", "http", "127.0.0.1", 3128);
    addProxy("tls", "https", "127.0.0.2", 3129);

    Map<String, String> properties = properties();

    assertThat(properties).containsEntry("http.proxyHost", "127.0.0.1");
    assertThat(properties).containsEntry("https.proxyHost", "127.0.0.2");
  }

  @Test
  void inactiveProxyIsIgnored() throws Exception {
    addProxy("off", "http", "127.0.0.1", 3128).setActive(false);

    assertThat(properties()).isEmpty();
  }

  @Test
  void proxyCredentialsAreDecrypted() throws Exception {
    Proxy proxy = addProxy("corporate", "http", "127.0.0.1", 3128);
    proxy.setUsername("proxy-user");
    proxy.setPassword("{enc}proxy-pass");

    Map<String, String> properties = properties();

    assertThat(properties)
        .containsEntry("http.proxyUser", "proxy-user")
        .containsEntry("http.proxyPassword", "proxy-pass")
        .containsEntry("https.proxyPassword", "proxy-pass");
  }

  @Test
  void nonProxyHostsUsePipeSeparator() throws Exception {
    addProxy("corporate", "http", "127.0.0.1", 3128).setNonProxyHosts("localhost,127.0.0.1");

    assertThat(properties()).containsEntry("http.nonProxyHosts", "localhost|127.0.0.1");
  }

  @Test
  void systemPropertyKeepsPrecedence() throws Exception {
    addProxy("corporate", "http", "127.0.0.1", 3128);
    System.setProperty("https.proxyHost", "127.0.0.9");

    Map<String, String> properties = properties();

    assertThat(properties).doesNotContainKey("https.proxyHost");
    assertThat(properties).containsEntry("http.proxyHost", "127.0.0.1");
  }

  private static final ProgressLog NO_LOG =
      new ProgressLog() {
        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}

        @Override
        public void debug(String message) {}
      };
}
