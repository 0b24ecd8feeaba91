package io.github.stscanary.canary.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.ImageReference;
import io.github.stscanary.canary.image.ImageBuildException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryFailuresTest {

  @TempDir Path directory;

  // Apache HttpClient, under jib-core, names only host and port in a refused connection.
  @Test
  void refusedConnectionNamesTargetRegistry() throws Exception {
    ImageBuildException failure =
        failures("scratch")
            .translate(
                new IOException(
                    new ConnectException(
                        "Connect to 127.0.0.1:5999 [/127.0.0.1] failed: Connection refused")));

    assertThat(failure.reason()).isEqualTo(Reason.UNREACHABLE);
    assertThat(failure.getMessage()).startsWith("Registry 127.0.0.1:5999 is unreachable");
  }

  @Test
  void refusedConnectionNamesBaseRegistryItMentions() throws Exception {
    ImageBuildException failure =
        failures("127.0.0.1:6000/library/nginx:1")
            .translate(
                new ConnectException("Connect to 127.0.0.1:6000 failed: Connection refused"));

    assertThat(failure.getMessage()).startsWith("Registry 127.0.0.1:6000 is unreachable");
  }

  @Test
  void refusedConnectionWithoutAddressNamesBothImages() throws Exception {
    ImageBuildException failure =
        failures("127.0.0.1:6000/library/nginx:1")
            .translate(new ConnectException("Connection refused"));

    assertThat(failure.getMessage())
        .startsWith(
            "Registry of 127.0.0.1:5999/shop/web:v1 or 127.0.0.1:6000/library/nginx:1 is"
                + " unreachable");
  }

  private RegistryFailures failures(String from) throws Exception {
    ImageBuildRequest request =
        ImageBuildRequest.builder()
            .from(from)
            .contentDirectory(directory)
            .image("127.0.0.1:5999/shop/web")
            .tag("v1")
            .baseImageCache(directory.resolve("cache"))
            .build();
    return new RegistryFailures(request, ImageReference.parse("127.0.0.1:5999/shop/web:v1"));
  }
}
