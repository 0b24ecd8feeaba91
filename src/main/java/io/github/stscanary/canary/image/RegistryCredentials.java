package io.github.stscanary.canary.image;

import java.util.Objects;

/**
 * A username and password for one registry, with the source they came from so the build can log it.
 * {@link #toString()} leaves the password out.
 *
 * @param username the registry username
 * @param password the registry password or token
 * @param source where the credentials came from, for example {@code settings.xml <server>
 *     '127.0.0.1:5443'}; logged, so it must not contain the secret
 */
public record RegistryCredentials(String username, String password, String source) {

  public RegistryCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(source, "source");
  }

  @Override
  public String toString() {
    return "RegistryCredentials[username=" + username + ", password=****, source=" + source + "]";
  }
}
