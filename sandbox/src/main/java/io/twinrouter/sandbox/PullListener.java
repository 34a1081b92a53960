package io.twinrouter.sandbox;

/**
 * What an image pull reports as it goes: the bytes of its layers downloaded so far and their
 * total as far as the engine has told (a layer's size is known once its download starts).
 * Called from the engine client's threads.
 */
@FunctionalInterface
public interface PullListener {

  PullListener NONE = (image, downloaded, knownTotal) -> {};

  void progress(String image, long downloadedBytes, long knownTotalBytes);
}
