package io.twinrouter.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Orders CPython 3.11 gave for {@code random.seed(S); random.shuffle(x)}, kept as vectors. */
class PythonRandomTest {

  private static List<Integer> shuffledRange(int n, long seed) {
    List<Integer> l = new ArrayList<>(IntStream.range(0, n).boxed().toList());
    new PythonRandom(seed).shuffle(l);
    return l;
  }

  @Test
  void shufflesAsCPythonDoes() {
    assertEquals(List.of(7, 6, 2, 9, 12, 5, 11, 8, 3, 4, 0, 1, 10), shuffledRange(13, 42));
    assertEquals(List.of(1, 10, 9, 5, 11, 2, 3, 7, 8, 4, 0, 12, 6), shuffledRange(13, 0));
    // a seed wider than 32 bits is fed to init_by_array as two words
    assertEquals(List.of(11, 5, 7, 2, 10, 12, 9, 6, 4, 1, 8, 0, 3),
        shuffledRange(13, (1L << 40) + 3));
    assertEquals(List.of(8, 3, 6, 5, 15, 16, 2, 12, 0, 1, 13, 10, 19, 9, 14, 11, 4, 17, 18, 7),
        shuffledRange(20, -3));
    assertEquals(List.of(776, 507, 895, 922, 33, 483, 85, 750, 354, 523),
        shuffledRange(1000, 42).subList(0, 10));
    List<String> letters = new ArrayList<>(List.of("a", "b", "c", "d", "e", "f", "g", "h"));
    new PythonRandom(123456789012L).shuffle(letters);
    assertEquals(List.of("e", "h", "d", "b", "c", "a", "f", "g"), letters);
  }
}
