package io.github.wif4j.cli.commands;

import io.github.wif4j.cli.Args;
import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.spi.Redaction;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything the credential helpers print or write, in one place: the google-auth executable
 * response, the AWS {@code credential_process} document, failure texts without secrets, and
 * private, atomic file writes. Written without Jackson on purpose: a cached {@code
 * aws-credential-process} answer must not pay for loading a JSON library (about 0.1 s per call).
 */
final class HelperOutput {
  private HelperOutput() {}

  /** google-auth's executable success response. */
  static String googleSuccess(String tokenType, String token, long expirationEpochSeconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", 1);
    m.put("success", true);
    m.put("token_type", tokenType);
    m.put("id_token", token);
    m.put("expiration_time", expirationEpochSeconds);
    return json(m);
  }

  /** google-auth's executable failure response; {@code message} must hold no secret. */
  static String googleFailure(String code, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", 1);
    m.put("success", false);
    m.put("code", code);
    m.put("message", message);
    return json(m);
  }

  /** The AWS {@code credential_process} document. */
  static String awsCredentials(
      String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Version", 1);
    m.put("AccessKeyId", accessKeyId);
    m.put("SecretAccessKey", secretAccessKey);
    if (sessionToken != null) {
      m.put("SessionToken", sessionToken);
    }
    if (expiration != null) {
      m.put("Expiration", expiration.toString());
    }
    return json(m);
  }

  /** A short machine-readable code for {@code failure}. */
  static String code(Exception failure) {
    Throwable t = cause(failure);
    if (t instanceof Args.UsageException) {
      return "USAGE";
    }
    if (t instanceof ConfigurationException) {
      return "CONFIGURATION";
    }
    if (t instanceof FederationException) {
      FederationException fe = (FederationException) t;
      return fe.errorCode().orElse(fe.step().name());
    }
    return "ERROR";
  }

  /** What went wrong and the fix, scrubbed of anything that looks like a token or key. */
  static String message(Exception failure) {
    Throwable t = cause(failure);
    String text =
        t instanceof Args.UsageException
                || t instanceof ConfigurationException
                || t instanceof FederationException
            ? String.valueOf(t.getMessage())
            : t.getClass().getSimpleName() + ": " + t.getMessage();
    if (t instanceof ConfigurationException) {
      text = "configuration error: " + text;
    }
    return Redaction.scrub(text);
  }

  /** The first of the failure's chain that explains itself, else the failure. */
  private static Throwable cause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof FederationException
          || t instanceof ConfigurationException
          || t instanceof Args.UsageException) {
        return t;
      }
    }
    return failure;
  }

  /**
   * Writes {@code content} to {@code file} so that no other user can read it (0600 where the file
   * system has POSIX permissions) and no reader sees half a file: a temporary file in the same
   * directory, created private, then moved over {@code file} atomically.
   */
  static void writePrivately(Path file, String content) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    Path tmp =
        posix
            ? Files.createTempFile(
                dir,
                "." + target.getFileName(),
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
            : Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write(content);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A flat JSON object of strings, numbers and booleans. */
  static String json(Map<String, Object> members) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, Object> e : members.entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      string(sb, e.getKey()).append(':');
      Object v = e.getValue();
      if (v instanceof Number || v instanceof Boolean) {
        sb.append(v);
      } else {
        string(sb, String.valueOf(v));
      }
    }
    return sb.append('}').toString();
  }

  private static StringBuilder string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"');
  }
}
