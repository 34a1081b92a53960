package io.twinrouter.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.twinrouter.sandbox.ExecCommands;
import io.twinrouter.sandbox.SandboxException;
import io.twinrouter.sandbox.Tars;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A container's files, moved as tar archives through the engine's archive API: uploads into the
 * writable top folder of their path (a read-only container takes them only into a volume), and
 * downloads of one file or a whole folder. The sandbox checks it is open before each call.
 */
final class ContainerFiles {
  private final DockerClient client;
  private final String containerId;

  ContainerFiles(DockerClient client, String containerId) {
    this.client = client;
    this.containerId = containerId;
  }

  void copyIn(Path hostPath, String sandboxPath) {
    ExecCommands.requireAbsolute(sandboxPath);
    Path archive = null;
    try {
      // through a temporary file: a repository bundle can be large, the heap need not hold it
      archive = java.nio.file.Files.createTempFile("twinrouter-copy-", ".tar");
      try (OutputStream out = java.nio.file.Files.newOutputStream(archive);
          TarArchiveOutputStream tar = Tars.writer(out)) {
        Tars.addPath(tar, hostPath, belowUploadRoot(sandboxPath));
      }
      try (InputStream in = java.nio.file.Files.newInputStream(archive)) {
        upload(in, sandboxPath);
      }
    } catch (IOException e) {
      throw new SandboxException("copying " + hostPath + " into " + containerId + ": " + e.getMessage(), e);
    } finally {
      if (archive != null) {
        try {
          java.nio.file.Files.deleteIfExists(archive);
        } catch (IOException ignored) {
          // a temp file
        }
      }
    }
  }

  void writeFile(String sandboxPath, byte[] content) {
    ExecCommands.requireAbsolute(sandboxPath);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(content.length + 2048);
    try (TarArchiveOutputStream tar = Tars.writer(bytes)) {
      Tars.addBytes(tar, belowUploadRoot(sandboxPath), content);
    } catch (IOException e) {
      throw new SandboxException("packing " + sandboxPath + ": " + e.getMessage(), e);
    }
    upload(new ByteArrayInputStream(bytes.toByteArray()), sandboxPath);
  }

  /**
   * Where an upload is unpacked: the top folder of the path ({@code /testbed}, {@code /tmp}), as
   * the engine accepts an upload into a read-only container only when its target is a volume.
   */
  static String uploadRoot(String sandboxPath) {
    int slash = sandboxPath.indexOf('/', 1);
    String top = slash < 0 ? "/" : sandboxPath.substring(0, slash);
    return DockerSandboxProvider.WRITABLE.contains(top) ? top : "/";
  }

  /** The path's name inside the upload's archive, relative to {@link #uploadRoot}. */
  static String belowUploadRoot(String sandboxPath) {
    String root = uploadRoot(sandboxPath);
    return sandboxPath.substring(root.equals("/") ? 1 : root.length() + 1);
  }

  private void upload(InputStream tar, String sandboxPath) {
    try {
      client
          .copyArchiveToContainerCmd(containerId)
          .withTarInputStream(tar)
          .withRemotePath(uploadRoot(sandboxPath))
          .exec();
    } catch (DockerException e) {
      throw new SandboxException(
          "copying to " + sandboxPath + " in " + containerId + ": " + DockerSandboxProvider.rootMessage(e), e);
    }
  }

  byte[] readFile(String sandboxPath) {
    try (InputStream in = client.copyArchiveFromContainerCmd(containerId, sandboxPath).exec()) {
      return Tars.firstFile(in, sandboxPath + " in " + containerId);
    } catch (NotFoundException e) {
      throw new SandboxException("no file " + sandboxPath + " in sandbox " + containerId, e);
    } catch (IOException e) {
      throw new SandboxException("reading " + sandboxPath + " from " + containerId + ": " + e.getMessage(), e);
    }
  }

  void copyOut(String sandboxPath, Path hostTarget) {
    String top = Path.of(sandboxPath).getFileName().toString();
    try (InputStream in = client.copyArchiveFromContainerCmd(containerId, sandboxPath).exec()) {
      Tars.unpackAs(in, top, hostTarget);
    } catch (NotFoundException e) {
      throw new SandboxException("no file or folder " + sandboxPath + " in sandbox " + containerId, e);
    } catch (IOException e) {
      throw new SandboxException(
          "copying " + sandboxPath + " out of " + containerId + ": " + e.getMessage(), e);
    }
  }

}
