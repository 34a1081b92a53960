package io.twinrouter.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.SignatureException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCertsTest {
  @TempDir Path dir;

  @Test
  void everyMemberHoldsItsKeySignedByTheCaAndTrustsTheCaAlone() throws Exception {
    List<Path> members = ClusterCerts.write(dir, 3, null);
    assertEquals(List.of(dir.resolve("member-1"), dir.resolve("member-2"), dir.resolve("member-3")),
        members);
    X509Certificate ca = (X509Certificate) load(dir.resolve("ca/ca.p12"), dir.resolve("ca"))
        .getCertificate(ClusterCerts.CA_ALIAS);
    for (Path m : members) {
      KeyStore ks = load(m.resolve(MemberTls.KEYSTORE), m);
      Certificate[] chain = ks.getCertificateChain(ClusterCerts.MEMBER_ALIAS);
      chain[0].verify(ca.getPublicKey());
      assertTrue(ks.isKeyEntry(ClusterCerts.MEMBER_ALIAS));
      assertEquals(-1, ((X509Certificate) chain[0]).getBasicConstraints(), "a member is no CA");
      KeyStore ts = load(m.resolve(MemberTls.TRUSTSTORE), m);
      assertEquals(List.of(ClusterCerts.CA_ALIAS), java.util.Collections.list(ts.aliases()));
      assertEquals(ca, ts.getCertificate(ClusterCerts.CA_ALIAS));
      for (String f : List.of(MemberTls.KEYSTORE, MemberTls.PASSWORD)) {
        assertEquals("rw-------", PosixFilePermissions.toString(
            Files.getPosixFilePermissions(m.resolve(f))), f);
      }
      assertFalse(Files.exists(m.resolve(ClusterCerts.CA_STORE)), "the CA's key stays out");
    }
    assertTrue(Files.readString(dir.resolve("ca.pem")).startsWith("-----BEGIN CERTIFICATE-----"));
  }

  @Test
  void membersAddedWithTheSameCaAreTrustedAndAnotherCaIsNot() throws Exception {
    ClusterCerts.write(dir.resolve("first"), 1, null);
    List<Path> added = ClusterCerts.write(dir.resolve("added"), 1, dir.resolve("first/ca"));
    List<Path> other = ClusterCerts.write(dir.resolve("other"), 1, null);
    X509Certificate ca = (X509Certificate) load(dir.resolve("first/member-1/truststore.p12"),
        dir.resolve("first/member-1")).getCertificate(ClusterCerts.CA_ALIAS);
    memberCert(added.get(0)).verify(ca.getPublicKey());
    assertThrows(SignatureException.class, () -> memberCert(other.get(0)).verify(ca.getPublicKey()));
    var again = assertThrows(IllegalArgumentException.class,
        () -> ClusterCerts.write(dir.resolve("first"), 1, null));
    assertTrue(again.getMessage().contains("--ca"), again.getMessage());
  }

  private static Certificate memberCert(Path m) throws Exception {
    return load(m.resolve(MemberTls.KEYSTORE), m).getCertificate(ClusterCerts.MEMBER_ALIAS);
  }

  private static KeyStore load(Path store, Path passwordDir) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, MemberTls.password(passwordDir).toCharArray());
    }
    return ks;
  }
}
