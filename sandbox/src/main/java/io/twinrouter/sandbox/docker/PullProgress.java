package io.twinrouter.sandbox.docker;

import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.ResponseItem;
import io.twinrouter.sandbox.PullListener;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Follows one pull's layers as the engine reports them ("Downloading" with current and total
 * bytes, then "Download complete", "Pull complete" or "Already exists"), tells a
 * {@link PullListener}, and stops the pull once its compressed layers alone are more than the
 * engine's disk has free: such a pull could only fail later, with a half-filled disk.
 */
final class PullProgress extends PullImageResultCallback {

  private final String image;
  private final PullListener listener;
  private final long freeBytes;
  /** Per layer id: bytes downloaded, bytes in all. */
  private final Map<String, long[]> layers = new LinkedHashMap<>();
  private volatile String refusal;

  /** @param freeBytes usable bytes where the engine keeps images; negative when unknown */
  PullProgress(String image, PullListener listener, long freeBytes) {
    this.image = image;
    this.listener = listener;
    this.freeBytes = freeBytes;
  }

  @Override
  public void onNext(PullResponseItem item) {
    super.onNext(item);
    long done;
    long total;
    synchronized (layers) {
      note(item);
      done = layers.values().stream().mapToLong(l -> l[0]).sum();
      total = layers.values().stream().mapToLong(l -> l[1]).sum();
    }
    listener.progress(image, done, total);
    if (freeBytes >= 0 && total > freeBytes && refusal == null) {
      refusal = "image " + image + " does not fit: its compressed layers alone are "
          + mib(total) + " and the disk the engine keeps images on has " + mib(freeBytes)
          + " free (docker image prune, or ./twinrouter images prune --tasks FILE, make room)";
      try {
        close(); // ends the pull: awaitCompletion returns
      } catch (java.io.IOException e) {
        // closing a finished stream: nothing left to stop
      }
    }
  }

  private void note(PullResponseItem item) {
    String id = item.getId();
    String status = item.getStatus();
    if (id == null || status == null) {
      return;
    }
    ResponseItem.ProgressDetail d = item.getProgressDetail();
    if (status.equals("Downloading") && d != null && d.getTotal() != null && d.getTotal() > 0) {
      layers.put(id, new long[] {d.getCurrent() == null ? 0 : d.getCurrent(), d.getTotal()});
    } else if (status.equals("Download complete") || status.equals("Pull complete")) {
      long[] l = layers.get(id);
      if (l != null) {
        l[0] = l[1];
      }
    }
  }

  /** Why the pull was stopped, when it was. */
  Optional<String> refusal() {
    return Optional.ofNullable(refusal);
  }

  private static String mib(long bytes) {
    return (bytes >> 20) + " MiB";
  }
}
