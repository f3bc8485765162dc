package dev.pathpoint.sysctl.internal.repository;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * Downloads a jar into the staging area and verifies it before anyone may use it: the checksum
 * (given by the repository's index, else the {@code .sha256} file next to the jar, else at least
 * the {@code .sha1} one), and, where configured, the signature. Only a verified jar gets its final
 * name; a failed one is deleted.
 */
final class ArtifactDownloads {

    private final Fetcher fetcher;
    private final String repository;
    private final Optional<JarSignatures> signatures;

    ArtifactDownloads(Fetcher fetcher, String repository, Optional<JarSignatures> signatures) {
        this.fetcher = fetcher;
        this.repository = repository;
        this.signatures = signatures;
    }

    Fetcher fetcher() {
        return fetcher;
    }

    /**
     * @param expectedSha256 the checksum the repository's index gives, or empty to fetch the checksum file
     * @param expectedSize the size the index gives, or -1
     */
    StagedArtifact jar(URI uri, Path staging, String fileName, String what, Optional<String> expectedSha256,
            long expectedSize) throws RepositoryException {
        Path partial = staging.resolve(fileName + ".part");
        try {
            Fetcher.Fetched fetched = fetcher.fetch(uri, partial, what);
            if (expectedSize >= 0 && fetched.size() != expectedSize) {
                throw new RepositoryException(what + " from repository " + repository + ": the download has "
                        + fetched.size() + " bytes, the index says " + expectedSize);
            }
            if (expectedSha256.isPresent()) {
                compare("SHA-256", fetched.sha256(), expectedSha256.get(), "the index", what);
            } else {
                checkAgainstChecksumFile(uri, staging, fileName, what, fetched);
            }
            if (signatures.isPresent()) {
                signatures.get().verify(partial, what + " from repository " + repository);
            }
            Path verified = staging.resolve(fileName);
            Files.move(partial, verified, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new StagedArtifact(what, repository, verified, fetched.size(), fetched.took());
        } catch (IOException e) {
            throw new RepositoryException(what + " from repository " + repository + ": cannot stage it: " + e.getMessage(), e);
        } finally {
            Fetcher.deleteQuietly(partial);
        }
    }

    private void checkAgainstChecksumFile(URI jar, Path staging, String fileName, String what, Fetcher.Fetched fetched)
            throws RepositoryException {
        Optional<String> sha256 = checksumFile(jar, ".sha256", staging, fileName, what);
        if (sha256.isPresent()) {
            compare("SHA-256", fetched.sha256(), sha256.get(), "its .sha256 file", what);
            return;
        }
        Optional<String> sha1 = checksumFile(jar, ".sha1", staging, fileName, what);
        if (sha1.isPresent()) {
            compare("SHA-1", fetched.sha1(), sha1.get(), "its .sha1 file", what);
            return;
        }
        throw new RepositoryException(what + " from repository " + repository + ": the repository offers no checksum"
                + " (neither " + fileName + ".sha256 nor " + fileName + ".sha1), so the download cannot be verified");
    }

    /** The hex digest in a checksum file (which may add a file name after it); empty if the repository has none. */
    private Optional<String> checksumFile(URI jar, String suffix, Path staging, String fileName, String what)
            throws RepositoryException {
        Path file = staging.resolve(fileName + suffix);
        try {
            fetcher.fetch(URI.create(jar + suffix), file, what + " checksum " + suffix);
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            String digest = text.isEmpty() ? "" : text.split("\\s+")[0].toLowerCase(Locale.ROOT);
            if (!digest.matches("[0-9a-f]+")) {
                throw new RepositoryException(what + " from repository " + repository + ": its checksum file " + suffix
                        + " holds no hexadecimal digest");
            }
            return Optional.of(digest);
        } catch (RepositoryException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException e) {
            throw new RepositoryException(what + ": cannot read its checksum file: " + e.getMessage(), e);
        } finally {
            Fetcher.deleteQuietly(file);
        }
    }

    private void compare(String algorithm, String actual, String expected, String source, String what)
            throws RepositoryException {
        if (!actual.equalsIgnoreCase(expected.strip())) {
            throw new RepositoryException(what + " from repository " + repository + ": checksum mismatch: the "
                    + algorithm + " of the download is " + actual + ", " + source + " says " + expected.strip()
                    + "; the jar was changed or damaged on its way");
        }
    }
}
