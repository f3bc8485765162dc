package dev.pathpoint.distribution.hardening;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

/** Live threads, open file descriptors, heap in use after a GC, and loaded classes of this JVM. */
record ResourceLevels(int threads, long fileDescriptors, long heapBytes, long loadedClasses) {

    static ResourceLevels now() {
        // a few GCs: the first may only promote; class unloading needs a full collection
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return new ResourceLevels(ManagementFactory.getThreadMXBean().getThreadCount(), openFileDescriptors(),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
                ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
    }

    private static long openFileDescriptors() {
        try (Stream<Path> fds = Files.list(Paths.get("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether this is back at {@code start} within the tolerances. */
    boolean within(ResourceLevels start, Tolerance tolerance) {
        return threads <= start.threads + tolerance.threads
                && fileDescriptors <= start.fileDescriptors + tolerance.fileDescriptors
                && heapBytes <= start.heapBytes + tolerance.heapBytes
                && loadedClasses <= start.loadedClasses + tolerance.loadedClasses;
    }

    @Override
    public String toString() {
        return threads + " threads, " + fileDescriptors + " fds, " + heapBytes / 1024 / 1024 + " MiB heap after GC, "
                + loadedClasses + " loaded classes";
    }

    record Tolerance(int threads, long fileDescriptors, long heapBytes, long loadedClasses) {
        @Override
        public String toString() {
            return "+" + threads + " threads, +" + fileDescriptors + " fds, +" + heapBytes / 1024 / 1024 + " MiB heap, +"
                    + loadedClasses + " classes";
        }
    }
}
