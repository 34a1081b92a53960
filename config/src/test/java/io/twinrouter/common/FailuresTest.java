package io.twinrouter.common;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void theFailureBehindAChainOfStagesIsTheOneThatWasThrown() {
    IOException thrown = new IOException("disk full");
    CompletableFuture<String> chained = CompletableFuture.<String>supplyAsync(() -> {
      throw new UncheckedIOException(thrown);
    }).thenApply(s -> s + "!").thenCompose(CompletableFuture::completedFuture);
    ExecutionException e = assertThrows(ExecutionException.class, chained::get);
    Throwable cause = Failures.cause(e);
    // only the futures' wrappers are removed, not a wrapper the code threw itself
    assertSame(UncheckedIOException.class, cause.getClass());
    assertSame(thrown, cause.getCause());
  }

  @Test
  void nestedWrappersAreAllRemoved() {
    IllegalStateException root = new IllegalStateException("root");
    Throwable wrapped = new CompletionException(new ExecutionException(new CompletionException(root)));
    assertSame(root, Failures.cause(wrapped));
  }

  @Test
  void aWrapperWithoutCauseAndAPlainFailureAreTheirOwnCause() {
    CompletionException empty = new CompletionException("no cause", null);
    assertSame(empty, Failures.cause(empty));
    RuntimeException plain = new RuntimeException(new IOException("inner"));
    assertSame(plain, Failures.cause(plain));
  }
}
