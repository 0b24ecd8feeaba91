package io.github.stscanary.canary.image;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import io.github.stscanary.canary.ProgressLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Runs jib-core's containerize step for one push, with the request's proxies and CA files in
 * effect, and translates its failures.
 */
final class RegistryPush {

  // NOTE: jib-core 0.27.3 reports a skipped blob upload only as this log text. If a later version
  // rewords it, ImageBuildResult.reusedBlobs() reads 0 but the build is unaffected.
  private static final String BLOB_EXISTS_MESSAGE = "already exists on target registry";

  private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-9;]*m");

  /** How long to wait for jib's worker threads to stop once the push has finished or failed. */
  private static final long SHUTDOWN_SECONDS = 5;

  /**
   * Guards the JVM-wide default SSLContext and proxy system properties during a push or a manifest
   * check.
   */
  static final Object JVM_SETTINGS_LOCK = new Object();

  private final ImageBuildRequest request;
  private final ImageReference target;
  private final ProgressLog log;
  private final RegistryFailures failures;
  private final AtomicInteger reusedBlobs = new AtomicInteger();
  private final AtomicBoolean finished = new AtomicBoolean();

  RegistryPush(ImageBuildRequest request, ImageReference target, ProgressLog log) {
    this.request = request;
    this.target = target;
    this.log = log;
    this.failures = new RegistryFailures(request, target);
  }

  /** Returns how many blobs the registry already had, as far as jib-core reported it. */
  int reusedBlobs() {
    return reusedBlobs.get();
  }

  /**
   * Pushes the image. {@code registries} are probed first, so that a refused connection or an
   * untrusted certificate fails at once instead of after jib-core's retries.
   */
  JibContainer run(
      JibContainerBuilder container, Containerizer containerizer, Set<String> registries)
      throws ImageBuildException, IOException, InterruptedException {
    containerizer.addEventHandler(LogEvent.class, this::forward);
    if (request.caFiles().isEmpty() && request.proxyProperties().isEmpty()) {
      return probeAndContainerize(container, containerizer, registries);
    }
    synchronized (JVM_SETTINGS_LOCK) {
      try (ScopedSystemProperties proxies = ScopedSystemProperties.set(request.proxyProperties());
          RegistryTrust trust = trust(request.caFiles())) {
        return probeAndContainerize(container, containerizer, registries);
      }
    }
  }

  private RegistryTrust trust(List<Path> caFiles) throws ImageBuildException {
    if (caFiles.isEmpty()) {
      return null;
    }
    log.info("Trusting the CA certificates in " + caFiles + " in addition to the JVM's");
    return RegistryTrust.install(caFiles);
  }

  private JibContainer probeAndContainerize(
      JibContainerBuilder container, Containerizer containerizer, Set<String> registries)
      throws ImageBuildException, IOException, InterruptedException {
    if (probeApplies()) {
      RegistryProbe probe = new RegistryProbe(log);
      for (String registry : registries) {
        probe.check(registry, failures);
      }
    }
    ExecutorService executor = Executors.newCachedThreadPool(RegistryPush::daemonThread);
    containerizer.setExecutorService(executor);
    try {
      return container.containerize(containerizer);
    } catch (ExecutionException e) {
      throw failures.translate(e.getCause() == null ? e : e.getCause());
    } catch (RegistryException e) {
      throw failures.translate(e);
    } catch (CacheDirectoryCreationException e) {
      throw new IOException("Failed to create the jib cache directory: " + e.getMessage(), e);
    } finally {
      stop(executor);
    }
  }

  /**
   * Returns whether a direct probe gives a reliable result. It does not when a proxy carries the
   * traffic, or when insecure registries are allowed, because jib-core may then fall back from port
   * 443 to plain HTTP on port 80.
   */
  private boolean probeApplies() {
    boolean proxied =
        !request.proxyProperties().isEmpty()
            || System.getProperty("https.proxyHost") != null
            || System.getProperty("http.proxyHost") != null;
    return !proxied && !request.allowInsecureRegistries();
  }

  /**
   * Stops jib's worker threads. After a failure jib-core leaves the other steps running, and their
   * retries would otherwise log for about a minute after the build has already failed.
   */
  private void stop(ExecutorService executor) {
    finished.set(true);
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS)) {
        log.debug("jib worker threads still run after " + SHUTDOWN_SECONDS + " s, left as daemons");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void forward(LogEvent event) {
    if (finished.get()) {
      return;
    }
    String message = ANSI_ESCAPE.matcher(event.getMessage()).replaceAll("");
    if (message.contains(BLOB_EXISTS_MESSAGE)) {
      reusedBlobs.incrementAndGet();
    }
    switch (event.getLevel()) {
      case ERROR, WARN -> log.warn(message);
      case LIFECYCLE -> log.info(message);
      default -> log.debug(message);
    }
  }

  private static Thread daemonThread(Runnable runnable) {
    Thread thread = new Thread(runnable, "canary-jib");
    thread.setDaemon(true);
    return thread;
  }
}
