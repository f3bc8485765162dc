package dev.pathpoint.mqtt.testing;

import dev.pathpoint.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Debian's mosquitto, started by a test: its own configuration file with a listener on a free
 * loopback port, persistence on in a temporary directory, never the system service. It can be
 * stopped, killed and started again on the same port with the same persistence.
 */
public final class Mosquitto implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/mosquitto");
    public static final Path PASSWD = Path.of("/usr/bin/mosquitto_passwd");
    private static final Duration START = Duration.ofSeconds(20);

    private final Path directory;
    private final int port;
    private final int tlsPort;
    private Process process;

    private Mosquitto(Path directory, int port, int tlsPort) {
        this.directory = directory;
        this.port = port;
        this.tlsPort = tlsPort;
    }

    /** Fails with a clear message when Debian's mosquitto is not installed. */
    public static void requireInstalled() {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError("mosquitto is not installed (" + BINARY + " is missing): the MQTT tests need "
                    + "Debian's mosquitto package, which .ci/run installs (apt-get install mosquitto)");
        }
    }

    /** How a test broker is set up. */
    public static final class Options {
        private String user;
        private String password;
        private Pki pki;
        private boolean requireClientCertificate;
        private int maxInflight = 1000;

        /** Only this user may connect; anonymous clients are refused. */
        public Options credentials(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        /** A TLS listener too, with the server certificate of {@code pki}; optionally demanding a client certificate. */
        public Options tls(Pki pki, boolean requireClientCertificate) {
            this.pki = pki;
            this.requireClientCertificate = requireClientCertificate;
            return this;
        }

        /** The most QoS 1 messages in flight to one client (mosquitto's default of 20 caps throughput). */
        public Options maxInflight(int maxInflight) {
            this.maxInflight = maxInflight;
            return this;
        }
    }

    public static Mosquitto start(Options options) throws IOException {
        requireInstalled();
        Path directory = Files.createTempDirectory("pathpoint-mosquitto");
        Mosquitto broker = new Mosquitto(directory, FreePorts.pick(), options.pki == null ? -1 : FreePorts.pick());
        broker.writeConfig(options);
        broker.startProcess();
        return broker;
    }

    public static Mosquitto start() throws IOException {
        return start(new Options());
    }

    private void writeConfig(Options options) throws IOException {
        Path persistence = Files.createDirectories(directory.resolve("data"));
        List<String> lines = new ArrayList<>(List.of(
                "# written by the test: never the system service",
                "user root",
                "persistence true",
                "persistence_location " + persistence + "/",
                "log_dest file " + directory.resolve("mosquitto.log"),
                "log_type error",
                "log_type warning",
                "log_type notice",
                "log_type information",
                "max_inflight_messages " + options.maxInflight,
                "max_queued_messages 1000000",
                // small packets go out at once: without it Nagle's algorithm and delayed ACKs add up to 40 ms
                "set_tcp_nodelay true",
                "per_listener_settings false"));
        if (options.user != null) {
            Path passwords = directory.resolve("passwords");
            run(List.of(PASSWD.toString(), "-b", "-c", passwords.toString(), options.user, options.password));
            lines.add("allow_anonymous false");
            lines.add("password_file " + passwords);
        } else {
            lines.add("allow_anonymous true");
        }
        lines.add("listener " + port + " 127.0.0.1");
        if (options.pki != null) {
            lines.add("listener " + tlsPort + " 127.0.0.1");
            lines.add("cafile " + options.pki.caCertificate());
            lines.add("certfile " + options.pki.serverCertificate());
            lines.add("keyfile " + options.pki.serverKey());
            lines.add("require_certificate " + options.requireClientCertificate);
        }
        Files.write(directory.resolve("mosquitto.conf"), lines);
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + new String(process.getInputStream().readAllBytes()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void startProcess() throws IOException {
        process = new ProcessBuilder(BINARY.toString(), "-c", directory.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(directory.resolve("console.log").toFile()).start();
        long deadline = System.nanoTime() + START.toNanos();
        while (!accepts(port) || (tlsPort > 0 && !accepts(tlsPort))) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited with " + process.exitValue() + ": " + log());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("mosquitto did not listen on " + port + " within " + START + ": " + log());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    public int port() {
        return port;
    }

    /** The broker's process id (for its CPU time in /proc). */
    public long pid() {
        return process.pid();
    }

    /** The TLS listener's port, if the broker has one. */
    public int tlsPort() {
        return tlsPort;
    }

    /** Stops the broker as a service manager would (SIGTERM: it saves its persistence and closes connections). */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts it again: same port, same configuration, same persistence. */
    public void restart() throws IOException, InterruptedException {
        stop();
        startProcess();
    }

    public String log() {
        try {
            Path log = directory.resolve("mosquitto.log");
            return (Files.exists(log) ? Files.readString(log) : "") + Files.readString(directory.resolve("console.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
