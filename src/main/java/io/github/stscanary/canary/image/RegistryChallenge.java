package io.github.stscanary.canary.image;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code WWW-Authenticate} header of a registry's 401 response, for example {@code Bearer
 * realm="https://auth.docker.io/token",service="registry.docker.io"} or {@code Basic
 * realm="registry"}.
 *
 * @param scheme authentication scheme as sent, for example {@code Bearer}; empty when the header
 *     was missing
 * @param parameters the challenge's parameters, keys in lower case
 */
record RegistryChallenge(String scheme, Map<String, String> parameters) {

  private static final Pattern PARAMETER = Pattern.compile("([A-Za-z_]+)=\"([^\"]*)\"");

  static RegistryChallenge parse(String header) {
    String trimmed = header.trim();
    int space = trimmed.indexOf(' ');
    String scheme = space < 0 ? trimmed : trimmed.substring(0, space);
    Map<String, String> parameters = new HashMap<>();
    Matcher matcher = PARAMETER.matcher(space < 0 ? "" : trimmed.substring(space + 1));
    while (matcher.find()) {
      parameters.put(matcher.group(1).toLowerCase(Locale.ROOT), matcher.group(2));
    }
    return new RegistryChallenge(scheme, Map.copyOf(parameters));
  }

  boolean isBearer() {
    return "bearer".equalsIgnoreCase(scheme);
  }

  Optional<String> parameter(String name) {
    return Optional.ofNullable(parameters.get(name));
  }
}
