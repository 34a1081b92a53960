package io.twinrouter.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the registry-free base image by running {@code scripts/build-base-image} (shipped inside
 * the jar): debootstrap minbase with python3, python3-pytest, git and patch, {@code docker import},
 * tagged; reused when the tag exists. The same script unpacks that rootfs as the local sandbox's
 * root. Its progress goes to this process's stderr.
 */
public final class BaseImage {
  private BaseImage() {}

  /** Runs the build; returns the script's exit status (0: the image is there). */
  public static int build(String tag, boolean force) {
    List<String> args = new ArrayList<>(List.of(tag));
    if (force) {
      args.add("--force");
    }
    return run(args, null);
  }

  /**
   * Unpacks the base image's rootfs into {@code target} (the local sandbox's root, {@link
   * SandboxSettings#localRootfs}); no Docker engine needed. Returns the script's exit status.
   */
  public static int buildRootfs(Path target, boolean force) {
    List<String> args = new ArrayList<>(List.of("--rootfs"));
    if (force) {
      args.add("--force");
    }
    return run(args, target);
  }

  private static int run(List<String> args, Path rootfs) {
    Path script = null;
    try (InputStream in = BaseImage.class.getResourceAsStream("build-base-image")) {
      if (in == null) {
        throw new SandboxException("build-base-image is missing from the jar");
      }
      script = Files.createTempFile("twinrouter-build-base-image", ".sh");
      Files.write(script, in.readAllBytes());
      List<String> argv = new ArrayList<>(List.of("bash", script.toString()));
      argv.addAll(args);
      ProcessBuilder pb = new ProcessBuilder(argv);
      if (rootfs != null) {
        pb.environment().put("TWINROUTER_ROOTFS", rootfs.toAbsolutePath().toString());
      }
      Process p =
          pb
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.INHERIT)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      return p.waitFor();
    } catch (IOException e) {
      throw new SandboxException("running build-base-image: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException("interrupted while building the base image", e);
    } finally {
      if (script != null) {
        try {
          Files.deleteIfExists(script);
        } catch (IOException ignored) {
          // a temp file
        }
      }
    }
  }
}
