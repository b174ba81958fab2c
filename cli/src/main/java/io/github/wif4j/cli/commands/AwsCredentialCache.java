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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  /**
   * The document as {@link HelperOutput#awsCredentials} writes it. Matched rather than parsed: a
   * cache hit must not load a JSON library (it would cost more than the rest of the hit).
   */
  private static final Pattern DOCUMENT =
      Pattern.compile(
          "\\{\"Version\":1,\"AccessKeyId\":\"[A-Z0-9]+\",\"SecretAccessKey\":\"[^\"\\\\]+\","
              + "(?:\"SessionToken\":\"[^\"\\\\]+\",)?\"Expiration\":\"([0-9TZ:.+-]+)\"\\}");

  private static final Set<PosixFilePermission> PRIVATE_DIR =
      PosixFilePermissions.fromString("rwx------");

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

  /** The cache entry for one request; empty when no cache directory can be named. */
  static Optional<AwsCredentialCache> of(Environment env, List<String> request, Clock clock) {
    Optional<Path> dir = directory(env);
    if (dir.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder material = new StringBuilder("wif4j-aws-credential-process-v1");
    for (String s : request) {
      material.append('\n').append(s == null ? "" : s);
    }
    for (String name :
        List.of("GOOGLE_APPLICATION_CREDENTIALS", "GCE_METADATA_HOST", "CLOUDSDK_CONFIG")) {
      material.append('\n').append(env.get(name).orElse(""));
    }
    return Optional.of(
        new AwsCredentialCache(
            dir.get(), sha256(material.toString()), clock, env.property("user.name").orElse("")));
  }

  private static Optional<Path> directory(Environment env) {
    Optional<String> explicit = env.get(DIR_ENV).filter(s -> !s.isBlank());
    if (explicit.isPresent()) {
      return Optional.of(Path.of(explicit.get()));
    }
    Optional<String> base =
        env.get("XDG_CACHE_HOME")
            .filter(s -> !s.isBlank())
            .or(() -> env.get("LOCALAPPDATA").filter(s -> !s.isBlank()))
            .or(() -> env.property("user.home").map(h -> Path.of(h, ".cache").toString()));
    return base.map(b -> Path.of(b, "wif4j", "aws-credential-process"));
  }

  /** The cached document, when it is private, well-formed and not within the refresh margin. */
  Optional<String> read() {
    Path file = dir.resolve(key + ".json");
    try {
      if (!isPrivate(dir, true) || !isPrivate(file, false)) {
        return Optional.empty();
      }
      String json = Files.readString(file, StandardCharsets.UTF_8).trim();
      Matcher m = DOCUMENT.matcher(json);
      if (json.length() > 8192 || !m.matches()) {
        return Optional.empty();
      }
      Instant expiry = Instant.parse(m.group(1));
      return clock.instant().isBefore(expiry.minus(REFRESH_MARGIN))
          ? Optional.of(json)
          : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
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
          Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
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
    Set<PosixFilePermission> open = EnumSet.copyOf(a.permissions());
    open.retainAll(
        EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE));
    return open.isEmpty();
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

  private static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 20; i++) {
        sb.append(String.format("%02x", d[i]));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
