package io.github.wif4j.core.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Reads small input files (configurations, token files) so that no file type can hang or exhaust
 * the process: {@code /dev/zero} reports size 0 and never ends, a FIFO blocks until a writer comes.
 * Only regular files (symbolic links followed) are opened, and at most {@code max} bytes read. A
 * source reading a token file on every fetch uses it as:
 *
 * <pre>{@code
 * String token = new String(BoundedFiles.read(path, 64 * 1024), StandardCharsets.UTF_8).trim();
 * }</pre>
 */
public final class BoundedFiles {
  private BoundedFiles() {}

  /** Thrown when the path is a directory, device, FIFO or socket. */
  public static final class NotARegularFile extends IOException {
    private static final long serialVersionUID = 1L;

    NotARegularFile(String kind) {
      super(kind);
    }
  }

  /** Thrown when the file holds more than the cap. */
  public static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("too large");
    }
  }

  /**
   * The bytes of {@code path}, a regular file of at most {@code max} bytes.
   *
   * @throws NotARegularFile when it is a directory, device, FIFO or socket (message: which)
   * @throws TooLarge beyond {@code max} bytes
   * @throws IOException as {@link Files#newInputStream} (NoSuchFileException, ...)
   */
  public static byte[] read(Path path, int max) throws IOException {
    if (!Files.exists(path)) {
      throw new java.nio.file.NoSuchFileException(path.toString());
    }
    if (!Files.isRegularFile(path)) {
      throw new NotARegularFile(
          Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(path)
              ? "a directory"
              : "not a regular file (a device, FIFO or socket)");
    }
    try (InputStream in = Files.newInputStream(path)) {
      byte[] bytes = in.readNBytes(max + 1);
      if (bytes.length > max) {
        throw new TooLarge();
      }
      return bytes;
    }
  }
}
