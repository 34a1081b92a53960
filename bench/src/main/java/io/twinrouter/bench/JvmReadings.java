package io.twinrouter.bench;

import java.lang.management.ManagementFactory;

/** What the benchmarks read off the running JVM: CPU time, JIT time and the live heap. */
final class JvmReadings {
  private JvmReadings() {}

  /** CPU time of the whole process, in ns: a figure that other load on the machine inflates less. */
  static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  /** Time the JIT compilers have spent so far, in ms (0 where the JVM does not say). */
  static long jitMillis() {
    var jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime() : 0;
  }

  /** The heap in use after full collections: what live objects hold. */
  static long heapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    memory.gc();
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }
}
