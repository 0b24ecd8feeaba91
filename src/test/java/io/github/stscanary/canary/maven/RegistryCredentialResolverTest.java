package io.github.stscanary.canary.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.image.DockerConfigCredentials;
import io.github.stscanary.canary.image.RegistryCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryCredentialResolverTest {

  private static final String REGISTRY = "127.0.0.1:5443";
  private static final String PARAMETERS = "<username>/<password>";

  @TempDir Path directory;

  private final Settings settings = new Settings();
  private DockerConfigCredentials dockerConfig;

  @BeforeEach
  void writeDockerConfig() throws IOException {
    String auth =
        Base64.getEncoder()
            .encodeToString("docker-user:docker-pass".getBytes(StandardCharsets.UTF_8));
    Path config =
        Files.writeString(
            directory.resolve("config.json"),
            "{\"auths\":{\"" + REGISTRY + "\":{\"auth\":\"" + auth + "\"}}}");
    dockerConfig = new DockerConfigCredentials(config);
  }

  private RegistryCredentialResolver resolver() {
    return new RegistryCredentialResolver(settings, new PrefixDecrypter(), dockerConfig, NO_LOG);
  }

  private void addServer(String id, String username, String password) {
    Server server = new Server();
    server.setId(id);
    server.setUsername(username);
    server.setPassword(password);
    settings.addServer(server);
  }

  @Test
  void explicitParametersWinOverSettingsAndDockerConfig() throws Exception {
    addServer(REGISTRY, "settings-user", "{enc}settings-pass");

    RegistryCredentials credentials =
        resolver().resolve(REGISTRY, "explicit-user", "explicit-pass", PARAMETERS).orElseThrow();

    assertThat(credentials.username()).isEqualTo("explicit-user");
    assertThat(credentials.password()).isEqualTo("explicit-pass");
    assertThat(credentials.source()).isEqualTo("<username>/<password> parameters");
  }

  @Test
  void settingsServerWinsOverDockerConfig() throws Exception {
    addServer(REGISTRY, "settings-user", "{enc}settings-pass");

    RegistryCredentials credentials =
        resolver().resolve(REGISTRY, null, null, PARAMETERS).orElseThrow();

    assertThat(credentials.username()).isEqualTo("settings-user");
    assertThat(credentials.password()).isEqualTo("settings-pass");
    assertThat(credentials.source()).isEqualTo("settings.xml <server> '127.0.0.1:5443'");
  }

  @Test
  void settingsServerWithHostOnlyIdMatches() throws Exception {
    addServer("127.0.0.1", "host-user", "host-pass");

    RegistryCredentials credentials =
        resolver().resolve(REGISTRY, null, null, PARAMETERS).orElseThrow();

    assertThat(credentials.username()).isEqualTo("host-user");
  }

  @Test
  void portServerIdWinsOverHostId() throws Exception {
    addServer("127.0.0.1", "host-user", "host-pass");
    addServer(REGISTRY, "port-user", "port-pass");

    RegistryCredentials credentials =
        resolver().resolve(REGISTRY, null, null, PARAMETERS).orElseThrow();

    assertThat(credentials.username()).isEqualTo("port-user");
  }

  @Test
  void serverWithoutPasswordFallsThroughToDockerConfig() throws Exception {
    addServer(REGISTRY, "settings-user", null);

    RegistryCredentials credentials =
        resolver().resolve(REGISTRY, null, null, PARAMETERS).orElseThrow();

    assertThat(credentials.username()).isEqualTo("docker-user");
  }

  @Test
  void dockerConfigUsedWithoutParametersOrServer() throws Exception {
    RegistryCredentials credentials =
        resolver().resolve(REGISTRY, null, "", PARAMETERS).orElseThrow();

    assertThat(credentials.username()).isEqualTo("docker-user");
    assertThat(credentials.password()).isEqualTo("docker-pass");
    assertThat(credentials.source()).startsWith("Docker config ");
  }

  @Test
  void noSourceMeansAnonymous() throws Exception {
    Optional<RegistryCredentials> credentials =
        resolver().resolve("127.0.0.1:5000", null, null, PARAMETERS);

    assertThat(credentials).isEmpty();
  }

  @Test
  void usernameWithoutPasswordFails() {
    assertThatThrownBy(() -> resolver().resolve(REGISTRY, "user", null, PARAMETERS))
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("Only one of <username>/<password>")
        .hasMessageContaining(REGISTRY);
  }

  @Test
  void serverIdsIncludeHostWithoutPort() {
    assertThat(RegistryCredentialResolver.serverIds("127.0.0.1:5443"))
        .containsExactly("127.0.0.1:5443", "127.0.0.1");
  }

  @Test
  void serverIdsOfDockerHubIncludeDockerIo() {
    assertThat(RegistryCredentialResolver.serverIds("registry-1.docker.io"))
        .containsExactly("registry-1.docker.io", "docker.io", "index.docker.io");
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

  /** Decrypts by dropping an {@code {enc}} prefix, standing in for Maven's cipher. */
  static final class PrefixDecrypter implements SettingsDecrypter {

    @Override
    public SettingsDecryptionResult decrypt(SettingsDecryptionRequest request) {
      List<Server> servers = request.getServers().stream().map(PrefixDecrypter::decrypt).toList();
      List<Proxy> proxies = request.getProxies().stream().map(PrefixDecrypter::decrypt).toList();
      return new SettingsDecryptionResult() {
        @Override
        public Server getServer() {
          return servers.isEmpty() ? null : servers.get(0);
        }

        @Override
        public List<Server> getServers() {
          return servers;
        }

        @Override
        public Proxy getProxy() {
          return proxies.isEmpty() ? null : proxies.get(0);
        }

        @Override
        public List<Proxy> getProxies() {
          return proxies;
        }

        @Override
        public List<SettingsProblem> getProblems() {
          return List.of();
        }
      };
    }

    private static Server decrypt(Server server) {
      Server copy = server.clone();
      copy.setPassword(plain(server.getPassword()));
      return copy;
    }

    private static Proxy decrypt(Proxy proxy) {
      Proxy copy = proxy.clone();
      copy.setPassword(plain(proxy.getPassword()));
      return copy;
    }

    private static String plain(String password) {
      return password != null && password.startsWith("{enc}") ? password.substring(5) : password;
    }
  }
}
