package io.twinrouter.orchestrator.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * {@code cluster certs}: a cluster's certificate authority and one directory per member (a
 * PKCS12 keystore with the member's key and certificate, a truststore with the CA's certificate
 * alone, and their password). Keys are EC P-256, made and signed in this process (BouncyCastle
 * builds the certificates; the JDK's providers make the keys and signatures).
 *
 * <p>Layout of {@code out}: {@code ca/} (the CA's key: keep it off the members' machines; it is
 * only needed to add members), {@code ca.pem} (its certificate), {@code member-1/} ... {@code
 * member-N/} (one per node or client: copy one to each machine and give it to {@code --tls}).
 */
public final class ClusterCerts {
  static final String CA_DIR = "ca";
  static final String CA_STORE = "ca.p12";
  static final String CA_ALIAS = "ca";
  static final String MEMBER_ALIAS = "member";
  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final Duration MEMBER_VALIDITY = Duration.ofDays(825);
  private static final SecureRandom RANDOM = new SecureRandom();

  private ClusterCerts() {}

  /**
   * Writes {@code members} member directories into {@code out}, signed by a new CA written to
   * {@code out/ca}, or by the CA in {@code existingCa} (to add members to a running cluster).
   *
   * @return the member directories written
   */
  public static List<Path> write(Path out, int members, Path existingCa) {
    if (members < 1) {
      throw new IllegalArgumentException("--members must be at least 1, got " + members);
    }
    try {
      Files.createDirectories(out);
      KeyStore.PrivateKeyEntry ca = existingCa == null
          ? newCa(out.resolve(CA_DIR)) : loadCa(existingCa);
      X509Certificate caCert = (X509Certificate) ca.getCertificate();
      Files.writeString(out.resolve("ca.pem"), pem(caCert), StandardCharsets.US_ASCII);
      int first = 1;
      while (Files.exists(out.resolve("member-" + first))) {
        first++;
      }
      List<Path> written = new ArrayList<>();
      for (int i = first; i < first + members; i++) {
        Path dir = privateDir(out.resolve("member-" + i));
        KeyPair key = ecKey();
        X509Certificate cert = sign(ca, "CN=twinrouter member " + i + " " + Instant.now(),
            key, MEMBER_VALIDITY, false);
        String password = newPassword();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(MEMBER_ALIAS, key.getPrivate(), password.toCharArray(),
            new Certificate[] {cert, caCert});
        store(ks, dir.resolve(MemberTls.KEYSTORE), password);
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry(CA_ALIAS, caCert);
        store(ts, dir.resolve(MemberTls.TRUSTSTORE), password);
        secret(dir.resolve(MemberTls.PASSWORD), password);
        written.add(dir);
      }
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write certificates into " + out + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make certificates: " + e.getMessage(), e);
    }
  }

  private static KeyStore.PrivateKeyEntry newCa(Path dir)
      throws IOException, GeneralSecurityException, OperatorCreationException {
    if (Files.exists(dir.resolve(CA_STORE))) {
      throw new IllegalArgumentException("--out " + dir.getParent() + " already holds a CA;"
          + " to add members to it give --ca " + dir + " and a new --out");
    }
    privateDir(dir);
    KeyPair key = ecKey();
    X509Certificate cert = sign(null, "CN=twinrouter cluster CA " + Instant.now(), key,
        CA_VALIDITY, true);
    String password = newPassword();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    KeyStore.PrivateKeyEntry entry =
        new KeyStore.PrivateKeyEntry(key.getPrivate(), new Certificate[] {cert});
    ks.setEntry(CA_ALIAS, entry, new KeyStore.PasswordProtection(password.toCharArray()));
    store(ks, dir.resolve(CA_STORE), password);
    secret(dir.resolve(MemberTls.PASSWORD), password);
    return entry;
  }

  private static KeyStore.PrivateKeyEntry loadCa(Path dir) throws IOException, GeneralSecurityException {
    Path store = dir.resolve(CA_STORE);
    if (!Files.isReadable(store) || !Files.isReadable(dir.resolve(MemberTls.PASSWORD))) {
      throw new IllegalArgumentException("--ca " + dir + ": no " + CA_STORE + " and " + MemberTls.PASSWORD
          + " (the ca/ directory 'cluster certs' wrote)");
    }
    char[] password = MemberTls.password(dir).toCharArray();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      ks.load(in, password);
    }
    return (KeyStore.PrivateKeyEntry) ks.getEntry(CA_ALIAS, new KeyStore.PasswordProtection(password));
  }

  /** A certificate for {@code key}, signed by {@code ca} (null: self-signed, for the CA itself). */
  static X509Certificate sign(KeyStore.PrivateKeyEntry ca, String subject, KeyPair key,
      Duration validity, boolean isCa) throws IOException, GeneralSecurityException, OperatorCreationException {
    X500Name subjectName = new X500Name(subject);
    X500Name issuer = ca == null ? subjectName
        : X500Name.getInstance(((X509Certificate) ca.getCertificate()).getSubjectX500Principal().getEncoded());
    PrivateKey signer = ca == null ? key.getPrivate() : ca.getPrivateKey();
    Instant now = Instant.now();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
        new BigInteger(127, RANDOM).add(BigInteger.ONE),
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)),
        subjectName, key.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (isCa) {
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      // every member both accepts connections and opens them
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
          new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    }
    ContentSigner s = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
    return new JcaX509CertificateConverter().getCertificate(b.build(s));
  }

  static KeyPair ecKey() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static String newPassword() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static Path privateDir(Path dir) throws IOException {
    Files.createDirectories(dir);
    ownerOnly(dir, "rwx------");
    return dir;
  }

  private static void store(KeyStore ks, Path file, String password)
      throws IOException, GeneralSecurityException {
    try (OutputStream o = Files.newOutputStream(file)) {
      ks.store(o, password.toCharArray());
    }
    ownerOnly(file, "rw-------");
  }

  private static void secret(Path file, String text) throws IOException {
    Files.writeString(file, text + "\n", StandardCharsets.US_ASCII);
    ownerOnly(file, "rw-------");
  }

  private static void ownerOnly(Path p, String perms) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: its own access rules apply
    }
  }

  private static String pem(X509Certificate cert) throws GeneralSecurityException {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }
}
