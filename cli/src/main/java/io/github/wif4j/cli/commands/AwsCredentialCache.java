package io.github.wif4j.cli.commands;

import io.github.wif4j.core.Environment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cross-process cache of {@code aws-credential-process}, like the AWS CLI's own assume-role
 * cache: the AWS CLI runs a credential process on every command and keeps nothing between commands,
 * so without it every {@code aws ...} pays a JVM start, an ID token and an STS call.
 *
 * <p>One file per request (role, audience, session name, duration, STS endpoint and the variables
 * that choose the Google identity, hashed), holding the {@code credential_process} document as
 * printed. Reused until {@link #REFRESH_MARGIN} before its {@code Expiration}. Private to the user
 * by construction: a directory the user owns with mode 0700, files 0600 written atomically; a
 * directory or file that is a link, owned by someone else or open to others is never read (the
 * helper then asks STS, and writes nothing there). Where the file system has no POSIX permissions
 * (Windows) the directory under {@code %LOCALAPPDATA%} is the user's own already.
 */
final class AwsCredentialCache {
  /** The cache directory's location, overriding the default below. */
  static final String DIR_ENV = "WIF4J_CACHE_DIR";

  /**
   * Credentials closer than this to their expiry are fetched anew. Above botocore's 15 min advisory
   * refresh window (the AWS CLI and boto3 re-run the process inside it, and refuse credentials
   * inside its 10 min mandatory window), so a cached answer never triggers a re-run.
   */
  static final Duration REFRESH_MARGIN = Duration.ofMinutes(16);

  /** The variables that choose the Google identity, and so which principal assumes the role. */
  private static final List<String> IDENTITY_VARIABLES =
      List.of("GOOGLE_APPLICATION_CREDENTIALS", "GCE_METADATA_HOST", "CLOUDSDK_CONFIG");

  private final Path dir;
  private final String key;
  private final Clock clock;
  private final String user;

  private AwsCredentialCache(Path dir, String key, Clock clock, String user) {
    this.dir = dir;
    this.key = key;
    this.clock = clock;
    this.user = user;
  }

  /** The cache entry for one request; null when no cache directory can be named. */
  static AwsCredentialCache of(Environment env, List<String> request, Clock clock) {
    Path dir = directory(env);
    if (dir == null) {
      return null;
    }
    StringBuilder material = new StringBuilder("wif4j-aws-credential-process-v1");
    for (String s : request) {
      material.append('\n').append(s == null ? "" : s);
    }
    for (String name : IDENTITY_VARIABLES) {
      material.append('\n').append(env.get(name).orElse(""));
    }
    return new AwsCredentialCache(
        dir, hash(material.toString()), clock, env.property("user.name").orElse(""));
  }

  private static Path directory(Environment env) {
    Optional<String> explicit = env.get(DIR_ENV);
    if (explicit.isPresent()) {
      return Path.of(explicit.get());
    }
    Optional<String> base = env.get("XDG_CACHE_HOME");
    if (base.isEmpty()) {
      base = env.get("LOCALAPPDATA");
    }
    if (base.isEmpty()) {
      Optional<String> home = env.property("user.home");
      if (home.isEmpty()) {
        return null;
      }
      base = Optional.of(Path.of(home.get(), ".cache").toString());
    }
    return Path.of(base.get(), "wif4j", "aws-credential-process");
  }

  /** The cached document, when it is private, well-formed and not within the refresh margin. */
  String read() {
    Path file = dir.resolve(key + ".json");
    try {
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)
          || !isPrivate(dir, true)
          || !isPrivate(file, false)) {
        return null;
      }
      String json = Files.readString(file, StandardCharsets.UTF_8).trim();
      long expiry = expiry(json);
      return expiry > 0 && clock.millis() / 1000 < expiry - REFRESH_MARGIN.getSeconds()
          ? json
          : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The {@code Expiration} of a document as {@link HelperOutput#awsCredentials} writes it, in epoch
   * seconds; 0 when {@code json} is not such a document. Checked by hand, not parsed: a JSON
   * library, a regular expression or a java.time formatter each cost more to load than the rest of
   * a cache hit.
   */
  static long expiry(String json) {
    String expiration = "\",\"Expiration\":\"";
    int at = json.lastIndexOf(expiration);
    if (json.length() > 8192
        || !json.startsWith("{\"Version\":1,\"AccessKeyId\":\"")
        || !json.contains("\",\"SecretAccessKey\":\"")
        || at < 0) {
      return 0;
    }
    String t = json.substring(at + expiration.length()); // 2026-11-30T13:45:00[.123]Z"}
    if (t.length() < 22
        || t.charAt(4) != '-'
        || t.charAt(7) != '-'
        || t.charAt(10) != 'T'
        || t.charAt(13) != ':'
        || t.charAt(16) != ':'
        || !t.endsWith("Z\"}")) {
      return 0;
    }
    try {
      return LocalDateTime.of(
              Integer.parseInt(t.substring(0, 4)),
              Integer.parseInt(t.substring(5, 7)),
              Integer.parseInt(t.substring(8, 10)),
              Integer.parseInt(t.substring(11, 13)),
              Integer.parseInt(t.substring(14, 16)),
              Integer.parseInt(t.substring(17, 19)))
          .toEpochSecond(ZoneOffset.UTC);
    } catch (RuntimeException e) { // digits that are no date
      return 0;
    }
  }

  /**
   * Stores {@code json} (a document with an {@code Expiration}), creating the directory 0700.
   *
   * @throws IOException when the directory is not private or the write fails
   */
  void write(String json) throws IOException {
    boolean posix = posix(dir.getFileSystem().supportedFileAttributeViews());
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir.getParent());
      try {
        if (posix) {
          Files.createDirectory(
              dir,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectory(dir);
        }
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // another process created it: checked below like any existing directory
      }
    }
    if (!isPrivate(dir, true)) {
      throw new IOException(dir + " is not a private directory of user " + user);
    }
    HelperOutput.writePrivately(dir.resolve(key + ".json"), json + "\n");
  }

  /** Whether {@code path} is this user's own, not a link, and closed to group and others. */
  private boolean isPrivate(Path path, boolean directory) throws IOException {
    if (!posix(path.getFileSystem().supportedFileAttributeViews())) {
      return directory
          ? Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
          : Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
    }
    PosixFileAttributes a =
        Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (directory ? !a.isDirectory() : !a.isRegularFile()) {
      return false;
    }
    if (!isMe(a.owner())) {
      return false;
    }
    for (PosixFilePermission p : a.permissions()) { // no EnumSet: its setup is reflective
      if (p != PosixFilePermission.OWNER_READ
          && p != PosixFilePermission.OWNER_WRITE
          && p != PosixFilePermission.OWNER_EXECUTE) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code owner} is the user running this process: on Linux the owner of {@code
   * /proc/self}, elsewhere the account named by {@code user.name}.
   */
  private boolean isMe(UserPrincipal owner) throws IOException {
    Path self = Path.of("/proc/self");
    if (Files.exists(self)) {
      return owner.equals(Files.getOwner(self));
    }
    return !user.isEmpty()
        && owner.equals(
            dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user));
  }

  private static boolean posix(Set<String> views) {
    return views.contains("posix");
  }

  /**
   * 128 bits of two 64-bit FNV-1a hashes (different offsets) of {@code s}: a file name per request
   * without loading the JDK's security providers (MessageDigest costs ~30 ms of a cache hit).
   * Collisions only matter by accident here: the directory is the user's own.
   */
  static String hash(String s) {
    long a = 0xcbf29ce484222325L;
    long b = 0x84222325cbf29ce4L;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      a = (a ^ c) * 0x100000001b3L;
      b = (b ^ c) * 0x100000001b3L;
      b = Long.rotateLeft(b, 5);
    }
    return hex(a) + hex(b);
  }

  private static String hex(long v) {
    String h = Long.toHexString(v);
    return "0000000000000000".substring(h.length()) + h;
  }
}
