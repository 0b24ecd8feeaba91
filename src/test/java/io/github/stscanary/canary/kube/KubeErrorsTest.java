package io.github.stscanary.canary.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

class KubeErrorsTest {

  @Test
  void refusedConnectionWithoutMessageSaysRefused() {
    ConnectException refused = new ConnectException();
    refused.initCause(new ClosedChannelException());
    KubernetesClientException e =
        new KubernetesClientException("Operation: [get] failed", new IOException(refused));

    String message = KubeErrors.translate(e, "get", "statefulsets", "shop").getMessage();

    assertThat(message)
        .contains("the API server is unreachable (ConnectException: connection refused or closed)");
    assertThat(message).contains("-Dcanary.kubeconfig");
  }

  @Test
  void timeoutKeepsItsMessage() {
    KubernetesClientException e =
        new KubernetesClientException(
            "Operation: [get] failed", new HttpConnectTimeoutException("HTTP connect timed out"));

    assertThat(KubeErrors.transportMessage(e))
        .isEqualTo("HttpConnectTimeoutException: HTTP connect timed out");
  }
}
