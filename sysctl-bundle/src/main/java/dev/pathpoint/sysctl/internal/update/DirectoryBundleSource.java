package dev.pathpoint.sysctl.internal.update;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A directory of bundle jars: every regular file ending in {@code .jar} (names starting with a dot
 * are skipped, so a copy in progress can be named {@code .x.jar} and renamed when complete).
 */
final class DirectoryBundleSource implements BundleSource {

    private final Path directory;

    DirectoryBundleSource(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    @Override
    public String describe() {
        return "directory " + directory;
    }

    @Override
    public List<BundleCandidate> candidates() throws BundleSourceException {
        if (!Files.isDirectory(directory)) {
            throw new BundleSourceException("update source " + describe() + " does not exist or is not a directory");
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(directory)) {
            jars = files.filter(DirectoryBundleSource::isCandidateFile).sorted().toList();
        } catch (IOException e) {
            throw new BundleSourceException("update source " + describe() + " cannot be listed: " + e);
        }
        List<BundleCandidate> candidates = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            try {
                BundleCandidate candidate = read(jar);
                String identity = candidate.symbolicName() + " " + candidate.version();
                String earlier = seen.putIfAbsent(identity, name);
                if (earlier != null) {
                    problems.add(name + " and " + earlier + " both hold " + identity);
                } else {
                    candidates.add(candidate);
                }
            } catch (IllegalArgumentException e) {
                problems.add(name + " " + e.getMessage());
            } catch (IOException e) {
                problems.add(name + " is not a readable jar: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new BundleSourceException("update source " + describe() + " holds invalid bundles: "
                    + String.join("; ", problems));
        }
        return candidates;
    }

    static BundleCandidate read(Path jar) throws IOException {
        return read(jar, jar.getFileName().toString());
    }

    /**
     * @param origin where the jar comes from, for reports
     * @throws IllegalArgumentException saying, after the origin, why it is not a valid bundle
     */
    static BundleCandidate read(Path jar, String origin) throws IOException {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                throw new IllegalArgumentException("has no META-INF/MANIFEST.MF");
            }
            return CandidateManifest.read(manifest, origin, () -> Files.newInputStream(jar));
        }
    }

    private static boolean isCandidateFile(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".jar") && !name.startsWith(".") && Files.isRegularFile(file);
    }
}
