package dev.pathpoint.sysctl.internal.repository;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one URL of a configured repository into a file, with the repository's limits: only
 * HTTPS, only the repository's own host and the hosts it is allowed to send us to (redirects are
 * followed here, not by the client, so each hop is checked), a timeout for the answer, a timeout for
 * silence in the middle of the body, and one for the whole download. The SHA-256 and SHA-1 of the
 * bytes are computed on the way. Long downloads log their progress.
 */
final class Fetcher {

    private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);
    private static final int MAX_REDIRECTS = 5;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    private final HttpClient client;
    private final String repository;
    private final Set<String> allowedAuthorities;
    private final String baseAuthority;
    private final Optional<String> authorization;
    private final Duration readTimeout;
    private final Duration downloadTimeout;

    /**
     * @param allowedAuthorities {@code host:port} of every host this repository may send us to,
     *        its own included
     * @param authorization an {@code Authorization} header value, sent to the repository's own host only
     */
    Fetcher(HttpClient client, String repository, URI base, Set<String> allowedAuthorities,
            Optional<String> authorization, Duration readTimeout, Duration downloadTimeout) {
        this.client = client;
        this.repository = repository;
        this.baseAuthority = authority(base);
        this.allowedAuthorities = allowedAuthorities;
        this.authorization = authorization;
        this.readTimeout = readTimeout;
        this.downloadTimeout = downloadTimeout;
    }

    /** What was downloaded. */
    record Fetched(Path file, long size, Duration took, String sha256, String sha1) {
    }

    /**
     * @param what the artifact, for messages (e.g. {@code dev.pathpoint:dev.pathpoint.modbus:1.0.1 jar})
     * @throws RepositoryException naming {@code what} and the problem; {@link RepositoryException#notFound()}
     *         on 404
     */
    Fetched fetch(URI uri, Path target, String what) throws RepositoryException {
        URI current = uri;
        for (int hops = 0; hops <= MAX_REDIRECTS; hops++) {
            checkAllowed(current, what);
            Hop hop = fetchOnce(current, target, what);
            if (hop.fetched() != null) {
                return hop.fetched();
            }
            current = hop.redirect();
        }
        throw new RepositoryException(failure(what, uri) + ": more than " + MAX_REDIRECTS + " redirects");
    }

    /** One request's outcome: the content, or where the repository redirects us. */
    private record Hop(Fetched fetched, URI redirect) {
    }

    private Hop fetchOnce(URI uri, Path target, String what) throws RepositoryException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(readTimeout)
                .header("User-Agent", "Pathpoint-update");
        if (authority(uri).equals(baseAuthority)) {
            authorization.ifPresent(value -> request.header("Authorization", value));
        }
        long start = System.nanoTime();
        FileSubscriber body;
        try {
            body = new FileSubscriber(target, what, start);
        } catch (IOException e) {
            throw new RepositoryException(failure(what, uri) + ": cannot write the staging file " + target + ": " + e.getMessage(), e);
        }
        CompletableFuture<HttpResponse<Void>> response = client.sendAsync(request.build(), info -> {
            if (info.statusCode() == 200) {
                body.expect(info.headers());
                return body;
            }
            body.discard();
            return HttpResponse.BodySubscribers.discarding();
        });
        HttpResponse<Void> answer = awaitHeaders(response, body, uri, what);
        int status = answer.statusCode();
        if (status == 200) {
            awaitBody(body, uri, what, start);
            return new Hop(new Fetched(target, body.bytes, Duration.ofNanos(System.nanoTime() - start),
                    HexFormat.of().formatHex(body.sha256.digest()), HexFormat.of().formatHex(body.sha1.digest())), null);
        }
        if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
            Optional<String> location = answer.headers().firstValue("Location");
            if (location.isEmpty()) {
                throw new RepositoryException(failure(what, uri) + ": redirect " + status + " without a Location");
            }
            try {
                return new Hop(null, uri.resolve(location.get()));
            } catch (IllegalArgumentException e) {
                throw new RepositoryException(failure(what, uri) + ": redirect to an invalid location '" + location.get() + "'");
            }
        }
        if (status == 404) {
            throw new RepositoryException(failure(what, uri) + ": the repository does not have it (404 Not Found)", true, null);
        }
        if (status == 401 || status == 403 || status == 407) {
            throw new RepositoryException(failure(what, uri) + ": the repository refused access (" + status + " "
                    + reason(status) + "); check the username and password configured for repository " + repository);
        }
        throw new RepositoryException(failure(what, uri) + ": the repository answered " + status + " " + reason(status));
    }

    private HttpResponse<Void> awaitHeaders(CompletableFuture<HttpResponse<Void>> response, FileSubscriber body,
            URI uri, String what) throws RepositoryException {
        try {
            // the request's own timeout bounds the wait for the headers; this bound is a safety net
            return response.get(readTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            body.close();
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw RepositoryException.timeout(failure(what, uri) + ": no answer within " + seconds(readTimeout)
                        + " (read.timeout.seconds)");
            }
            if (body.failure != null) {
                throw body.failure;
            }
            if (cause instanceof IOException && (body.bytes > 0 || String.valueOf(cause.getMessage()).contains("content-length"))) {
                // the client itself fails the whole exchange when the body ends short of its announced length
                throw new RepositoryException(failure(what, uri) + ": the download broke off after " + body.bytes
                        + " bytes" + body.ofLength() + ": " + describe(cause), cause);
            }
            throw new RepositoryException(failure(what, uri) + ": " + describe(cause), cause);
        } catch (TimeoutException e) {
            response.cancel(true);
            body.close();
            throw RepositoryException.timeout(failure(what, uri) + ": no answer within " + seconds(readTimeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.cancel(true);
            body.close();
            throw new RepositoryException(failure(what, uri) + ": interrupted", e);
        }
    }

    /** Waits for the body, giving up on silence longer than the read timeout or a download longer than the limit. */
    private void awaitBody(FileSubscriber body, URI uri, String what, long start) throws RepositoryException {
        long checkMillis = Math.max(50, Math.min(1000, readTimeout.toMillis() / 4));
        while (true) {
            try {
                body.done.get(checkMillis, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                long now = System.nanoTime();
                if (now - body.lastActivity > readTimeout.toNanos()) {
                    body.cancel();
                    throw RepositoryException.timeout(failure(what, uri) + ": the repository sent nothing for "
                            + seconds(readTimeout) + " after " + body.bytes + " bytes (read.timeout.seconds)");
                }
                if (now - start > downloadTimeout.toNanos()) {
                    body.cancel();
                    throw RepositoryException.timeout(failure(what, uri) + ": not downloaded within "
                            + seconds(downloadTimeout) + " (" + body.bytes + " bytes so far; download.timeout.seconds)");
                }
            } catch (ExecutionException e) {
                body.close();
                if (e.getCause() instanceof RepositoryException known) {
                    throw known;
                }
                throw new RepositoryException(failure(what, uri) + ": the download broke off after " + body.bytes
                        + " bytes" + body.ofLength() + ": " + describe(e.getCause()), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                body.cancel();
                throw new RepositoryException(failure(what, uri) + ": interrupted", e);
            }
        }
        if (body.expectedLength >= 0 && body.bytes != body.expectedLength) {
            throw new RepositoryException(failure(what, uri) + ": the download was cut short: " + body.bytes + " of "
                    + body.expectedLength + " bytes");
        }
    }

    private void checkAllowed(URI uri, String what) throws RepositoryException {
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw new RepositoryException(failure(what, uri) + ": only HTTPS is allowed, not " + uri.getScheme());
        }
        if (!allowedAuthorities.contains(authority(uri))) {
            throw new RepositoryException(failure(what, uri) + ": the repository sends us to " + authority(uri)
                    + ", which is not this repository's host; add it to allowed.hosts of repository " + repository
                    + " if it should be contacted");
        }
    }

    static String authority(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : 443;
        return (uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT)) + ":" + port;
    }

    private String failure(String what, URI uri) {
        return what + " from repository " + repository + " (" + uri + ")";
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        if (cause instanceof javax.net.ssl.SSLHandshakeException || cause.getCause() instanceof javax.net.ssl.SSLHandshakeException) {
            return "the TLS handshake failed (is the repository's certificate trusted by tls.truststore?): "
                    + cause.getMessage();
        }
        if (cause instanceof java.net.ConnectException) {
            return "cannot connect: " + (cause.getMessage() == null ? "connection refused" : cause.getMessage());
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private static String reason(int status) {
        return switch (status) {
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 407 -> "Proxy Authentication Required";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }

    /** Writes the body to the file as it arrives, digesting it and noting when bytes last came. */
    private final class FileSubscriber implements HttpResponse.BodySubscriber<Void> {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final MessageDigest sha256 = digest("SHA-256");
        final MessageDigest sha1 = digest("SHA-1");
        private final FileChannel channel;
        private final String what;
        private final long start;
        private volatile Flow.Subscription subscription;
        volatile long lastActivity;
        volatile long bytes;
        volatile long expectedLength = -1;
        volatile RepositoryException failure;
        private long lastProgressLog;

        FileSubscriber(Path target, String what, long start) throws IOException {
            this.channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            this.what = what;
            this.start = start;
            this.lastActivity = start;
            this.lastProgressLog = start;
        }

        /** Complete at once, so the response arrives with the headers and the body is watched here. */
        @Override
        public java.util.concurrent.CompletionStage<Void> getBody() {
            return CompletableFuture.completedFuture(null);
        }

        void expect(HttpHeaders headers) {
            expectedLength = headers.firstValueAsLong("Content-Length").orElse(-1);
            lastActivity = System.nanoTime();
        }

        String ofLength() {
            return expectedLength >= 0 ? " of " + expectedLength : "";
        }

        void discard() {
            close();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            try {
                for (ByteBuffer buffer : buffers) {
                    sha256.update(buffer.duplicate());
                    sha1.update(buffer.duplicate());
                    while (buffer.hasRemaining()) {
                        bytes += channel.write(buffer);
                    }
                }
            } catch (IOException e) {
                subscription.cancel();
                done.completeExceptionally(new RepositoryException(what + ": cannot write the staging file: " + e.getMessage(), e));
                return;
            }
            long now = System.nanoTime();
            lastActivity = now;
            if (now - lastProgressLog > PROGRESS_EVERY.toNanos()) {
                lastProgressLog = now;
                LOG.info("sysctl update: downloading {} from repository {}: {} bytes{} after {} s", what, repository,
                        bytes, ofLength(), (now - start) / 1_000_000_000L);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable throwable) {
            close();
            done.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            close();
            done.complete(null);
        }

        void cancel() {
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
            close();
            done.cancel(false);
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing staging file", e);
            }
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the Java platform lacks " + algorithm, e);
        }
    }

    /** Deletes a partial download; used by callers after a failure. */
    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("could not delete {}", file, e);
        }
    }
}
