package dev.pathpoint.sysctl.internal.update;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of its own for one update's downloads, deleted with everything in it when the update
 * ends, whichever way. Leftovers of a run the process did not survive are deleted on the next start.
 */
final class StagingArea implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StagingArea.class);
    private static final String PREFIX = "update-";

    private final Path directory;

    private StagingArea(Path directory) {
        this.directory = directory;
    }

    static StagingArea open(Path root) throws IOException {
        Files.createDirectories(root);
        return new StagingArea(Files.createTempDirectory(root, PREFIX));
    }

    Path directory() {
        return directory;
    }

    /** Deletes what earlier runs left in {@code root} (a crash, a kill). */
    static void deleteLeftovers(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> runs = Files.list(root)) {
            runs.filter(run -> run.getFileName().toString().startsWith(PREFIX)).forEach(StagingArea::deleteTree);
        } catch (IOException e) {
            LOG.warn("sysctl update: cannot list the staging directory {}: {}", root, e.toString());
        }
    }

    @Override
    public void close() {
        deleteTree(directory);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("sysctl update: cannot delete the staging directory {}: {}", root, e.toString());
        }
    }
}
