package io.github.stscanary.canary.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryTrustTest {

  @TempDir Path directory;

  private static Path testCa() throws Exception {
    return Path.of(RegistryTrustTest.class.getResource("test-ca.pem").toURI());
  }

  @Test
  void readCertificatesParsesPem() throws Exception {
    List<X509Certificate> certificates = RegistryTrust.readCertificates(testCa());

    assertThat(certificates).hasSize(1);
    assertThat(certificates.get(0).getSubjectX500Principal().getName())
        .isEqualTo("CN=canary unit test CA");
  }

  @Test
  void readCertificatesReadsEveryCertificateInBundle() throws Exception {
    String pem = Files.readString(testCa());
    Path bundle = Files.writeString(directory.resolve("bundle.pem"), pem + pem);

    assertThat(RegistryTrust.readCertificates(bundle)).hasSize(2);
  }

  @Test
  void readCertificatesOfNonPemNamesCaFile() throws Exception {
    Path notPem = Files.writeString(directory.resolve("ca.pem"), "not a certificate");

    assertThatThrownBy(() -> RegistryTrust.readCertificates(notPem))
        .isInstanceOf(ImageBuildException.class)
        .hasMessageContaining(notPem.toString())
        .hasMessageContaining("-Dcanary.caFile");
  }

  @Test
  void readCertificatesOfMissingFileNamesCaFile() {
    Path missing = directory.resolve("missing.pem");

    assertThatThrownBy(() -> RegistryTrust.readCertificates(missing))
        .isInstanceOf(ImageBuildException.class)
        .hasMessageContaining(missing + " not found");
  }

  @Test
  void closeRestoresPreviousDefaultContext() throws Exception {
    SSLContext before = SSLContext.getDefault();

    try (RegistryTrust trust = RegistryTrust.install(List.of(testCa()))) {
      assertThat(SSLContext.getDefault()).isNotSameAs(before);
    }

    assertThat(SSLContext.getDefault()).isSameAs(before);
  }
}
