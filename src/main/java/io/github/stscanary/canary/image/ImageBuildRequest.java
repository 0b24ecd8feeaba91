package io.github.stscanary.canary.image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A request to build and push one image: the base image, the content directory copied into it, the
 * target repository and tags, and the registry access settings. Immutable, so use {@link
 * #builder()}.
 *
 * <p>Entrypoint, exposed ports and labels are inherited from the base image unless set here.
 * Proxies are passed as the Java system properties that jib-core's HTTP client reads ({@code
 * http.proxyHost}, {@code https.proxyPort}, ...); the builder sets them only while it runs.
 */
public final class ImageBuildRequest {

  /** Directory that nginx images serve static files from. */
  public static final String DEFAULT_TARGET_DIRECTORY = "/usr/share/nginx/html/";

  private final String from;
  private final Path baseDirectory;
  private final Path contentDirectory;
  private final String targetDirectory;
  private final String image;
  private final String tag;
  private final List<String> extraTags;
  private final RegistryCredentials baseCredentials;
  private final RegistryCredentials targetCredentials;
  private final List<Path> caFiles;
  private final boolean allowInsecureRegistries;
  private final boolean offline;
  private final Map<String, String> proxyProperties;
  private final Path baseImageCache;
  private final Path applicationLayersCache;
  private final List<String> entrypoint;
  private final Set<Integer> exposedPorts;
  private final Map<String, String> labels;

  private ImageBuildRequest(Builder builder) {
    this.from = Objects.requireNonNull(builder.from, "from");
    this.baseDirectory = builder.baseDirectory;
    this.contentDirectory = Objects.requireNonNull(builder.contentDirectory, "contentDirectory");
    this.targetDirectory = builder.targetDirectory;
    this.image = Objects.requireNonNull(builder.image, "image");
    this.tag = Objects.requireNonNull(builder.tag, "tag");
    this.extraTags = List.copyOf(builder.extraTags);
    this.baseCredentials = builder.baseCredentials;
    this.targetCredentials = builder.targetCredentials;
    this.caFiles = List.copyOf(builder.caFiles);
    this.allowInsecureRegistries = builder.allowInsecureRegistries;
    this.offline = builder.offline;
    this.proxyProperties = Map.copyOf(builder.proxyProperties);
    this.baseImageCache = builder.baseImageCache;
    this.applicationLayersCache = builder.applicationLayersCache;
    this.entrypoint = builder.entrypoint == null ? null : List.copyOf(builder.entrypoint);
    this.exposedPorts = Set.copyOf(builder.exposedPorts);
    this.labels = Map.copyOf(builder.labels);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Base image: {@code scratch}, {@code tar:///absolute/image.tar}, {@code tar://relative.tar}
   * (resolved against {@link #baseDirectory()}) or a registry reference.
   */
  public String from() {
    return from;
  }

  /** Directory that a relative {@code tar://} base path is resolved against. */
  public Path baseDirectory() {
    return baseDirectory;
  }

  /** Local directory whose files become the content layer. */
  public Path contentDirectory() {
    return contentDirectory;
  }

  /** Absolute directory inside the image that receives the content. */
  public String targetDirectory() {
    return targetDirectory;
  }

  /** Target repository without tag, for example {@code 127.0.0.1:5000/library/version-test}. */
  public String image() {
    return image;
  }

  public String tag() {
    return tag;
  }

  /** Tags pushed in addition to {@link #tag()}, pointing at the same manifest. */
  public List<String> extraTags() {
    return extraTags;
  }

  public Optional<RegistryCredentials> baseCredentials() {
    return Optional.ofNullable(baseCredentials);
  }

  public Optional<RegistryCredentials> targetCredentials() {
    return Optional.ofNullable(targetCredentials);
  }

  /** PEM files with CA certificates trusted in addition to the JVM's trust store. */
  public List<Path> caFiles() {
    return caFiles;
  }

  /** Returns whether registries may be reached over plain HTTP or unverified HTTPS. */
  public boolean allowInsecureRegistries() {
    return allowInsecureRegistries;
  }

  /** Returns whether Maven runs offline, which makes a push impossible. */
  public boolean offline() {
    return offline;
  }

  /** Proxy system properties to set while the build runs. Values may contain a password. */
  public Map<String, String> proxyProperties() {
    return proxyProperties;
  }

  /** Cache of base image layers, shared between projects. */
  public Path baseImageCache() {
    return baseImageCache;
  }

  /** Cache of the built content layers; empty means a temporary directory per build. */
  public Optional<Path> applicationLayersCache() {
    return Optional.ofNullable(applicationLayersCache);
  }

  /** Entrypoint replacing the base image's; empty means inherit it. */
  public Optional<List<String>> entrypoint() {
    return Optional.ofNullable(entrypoint);
  }

  /** Container ports exposed in addition to the base image's. */
  public Set<Integer> exposedPorts() {
    return exposedPorts;
  }

  /** Labels added to, or replacing same-named, labels of the base image. */
  public Map<String, String> labels() {
    return labels;
  }

  @Override
  public String toString() {
    return "ImageBuildRequest[from="
        + from
        + ", image="
        + image
        + ", tag="
        + tag
        + ", extraTags="
        + extraTags
        + ", contentDirectory="
        + contentDirectory
        + ", targetDirectory="
        + targetDirectory
        + "]";
  }

  /** Collects the request's values; {@code from}, content directory, image and tag are required. */
  public static final class Builder {
    private String from;
    private Path baseDirectory = Path.of("").toAbsolutePath();
    private Path contentDirectory;
    private String targetDirectory = DEFAULT_TARGET_DIRECTORY;
    private String image;
    private String tag;
    private final List<String> extraTags = new ArrayList<>();
    private RegistryCredentials baseCredentials;
    private RegistryCredentials targetCredentials;
    private final List<Path> caFiles = new ArrayList<>();
    private boolean allowInsecureRegistries;
    private boolean offline;
    private final Map<String, String> proxyProperties = new LinkedHashMap<>();
    private Path baseImageCache = defaultBaseImageCache();
    private Path applicationLayersCache;
    private List<String> entrypoint;
    private final Set<Integer> exposedPorts = new LinkedHashSet<>();
    private final Map<String, String> labels = new LinkedHashMap<>();

    private Builder() {}

    public Builder from(String from) {
      this.from = from;
      return this;
    }

    public Builder baseDirectory(Path baseDirectory) {
      this.baseDirectory = Objects.requireNonNull(baseDirectory, "baseDirectory");
      return this;
    }

    public Builder contentDirectory(Path contentDirectory) {
      this.contentDirectory = contentDirectory;
      return this;
    }

    public Builder targetDirectory(String targetDirectory) {
      this.targetDirectory = Objects.requireNonNull(targetDirectory, "targetDirectory");
      return this;
    }

    public Builder image(String image) {
      this.image = image;
      return this;
    }

    public Builder tag(String tag) {
      this.tag = tag;
      return this;
    }

    public Builder extraTags(List<String> extraTags) {
      this.extraTags.clear();
      this.extraTags.addAll(extraTags);
      return this;
    }

    public Builder baseCredentials(RegistryCredentials baseCredentials) {
      this.baseCredentials = baseCredentials;
      return this;
    }

    public Builder targetCredentials(RegistryCredentials targetCredentials) {
      this.targetCredentials = targetCredentials;
      return this;
    }

    public Builder caFiles(List<Path> caFiles) {
      this.caFiles.clear();
      this.caFiles.addAll(caFiles);
      return this;
    }

    public Builder allowInsecureRegistries(boolean allowInsecureRegistries) {
      this.allowInsecureRegistries = allowInsecureRegistries;
      return this;
    }

    public Builder offline(boolean offline) {
      this.offline = offline;
      return this;
    }

    public Builder proxyProperties(Map<String, String> proxyProperties) {
      this.proxyProperties.clear();
      this.proxyProperties.putAll(proxyProperties);
      return this;
    }

    public Builder baseImageCache(Path baseImageCache) {
      this.baseImageCache = Objects.requireNonNull(baseImageCache, "baseImageCache");
      return this;
    }

    public Builder applicationLayersCache(Path applicationLayersCache) {
      this.applicationLayersCache = applicationLayersCache;
      return this;
    }

    public Builder entrypoint(List<String> entrypoint) {
      this.entrypoint = entrypoint;
      return this;
    }

    public Builder exposedPorts(Set<Integer> exposedPorts) {
      this.exposedPorts.clear();
      this.exposedPorts.addAll(exposedPorts);
      return this;
    }

    public Builder labels(Map<String, String> labels) {
      this.labels.clear();
      this.labels.putAll(labels);
      return this;
    }

    public ImageBuildRequest build() {
      return new ImageBuildRequest(this);
    }

    private static Path defaultBaseImageCache() {
      return Path.of(System.getProperty("user.home"), ".cache", "stscanary", "jib");
    }
  }
}
