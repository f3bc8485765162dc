package dev.pathpoint.mqtt.internal.tool;

import dev.pathpoint.api.connection.ConnectionReport;
import dev.pathpoint.api.remote.GatewayPresence;
import dev.pathpoint.api.remote.RemoteExecutor;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.wire.SectionCodec;
import dev.pathpoint.api.wire.WireFormatException;
import dev.pathpoint.mqtt.internal.central.CentralLink;
import dev.pathpoint.mqtt.internal.central.CentralSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code pathpoint-remote}: runs the sections of a file on a remote gateway through its broker and
 * prints one result line per section, in file order, exactly as {@code pathpoint --exec} prints them
 * locally, with the same exit statuses: {@value #SUCCEEDED} every order succeeded, {@value #SOME_FAILED}
 * some did not, {@value #NOT_RUN} the sections could not be run (bad document, broker or gateway not
 * reachable, time out), {@value #USAGE} bad command line. No OSGi: a plain Java main on the
 * distribution's bundle jars.
 */
public final class RemoteTool {
    static final int SUCCEEDED = 0;
    static final int SOME_FAILED = 1;
    static final int NOT_RUN = 2;
    static final int USAGE = 64;

    private final PrintStream out;
    private final PrintStream err;

    RemoteTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new RemoteTool(System.out, System.err).run(args));
    }

    int run(String[] args) {
        RemoteOptions options;
        try {
            options = RemoteOptions.parse(args);
        } catch (RemoteOptions.HelpRequested help) {
            out.println(RemoteOptions.USAGE);
            return SUCCEEDED;
        } catch (IllegalArgumentException e) {
            err.println("pathpoint-remote: " + e.getMessage());
            err.println(RemoteOptions.USAGE);
            return USAGE;
        }
        List<Section> sections;
        try (InputStream in = Files.newInputStream(options.exec())) {
            sections = SectionCodec.readSections(in);
        } catch (WireFormatException e) {
            err.println("pathpoint-remote: " + options.exec() + ": " + e.getMessage());
            return NOT_RUN;
        } catch (IOException e) {
            err.println("pathpoint-remote: cannot read " + options.exec() + ": " + e.getMessage());
            return NOT_RUN;
        }
        CentralLink link;
        try {
            link = new CentralLink(options.settings(), "command line", Clock.systemUTC()).start();
        } catch (IllegalArgumentException e) {
            err.println("pathpoint-remote: " + e.getMessage());
            return NOT_RUN;
        }
        try {
            return execute(link, options, sections);
        } finally {
            link.close();
        }
    }

    private int execute(CentralLink link, RemoteOptions options, List<Section> sections) {
        RemoteExecutor gateway = link.forGateway(options.gateway());
        long deadline = System.nanoTime() + options.timeout().toNanos();
        long onlineBy = System.nanoTime() + Math.min(options.offlineWait().toNanos(), options.timeout().toNanos());
        while (gateway.presence() != GatewayPresence.ONLINE) {
            if (System.nanoTime() > onlineBy) {
                err.println("pathpoint-remote: " + whyNotOnline(link, gateway, options) + "; waited "
                        + options.offlineWait().toSeconds() + " s, nothing was sent");
                return NOT_RUN;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        gateway.execute(sections);
        int status = SUCCEEDED;
        for (int i = 0; i < sections.size(); i++) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                SectionResult result = sections.get(i).future().get(left, TimeUnit.NANOSECONDS);
                out.println(SectionCodec.writeResult(result));
                if (!result.succeeded()) {
                    status = SOME_FAILED;
                }
            } catch (TimeoutException e) {
                err.println("pathpoint-remote: section " + i + " did not finish within " + options.timeout().toSeconds()
                        + " s; cancelling what gateway " + options.gateway() + " has not started");
                cancelRest(gateway, sections);
                out.flush();
                return NOT_RUN;
            } catch (CancellationException | ExecutionException e) {
                err.println("pathpoint-remote: section " + i + " has no result: " + e);
                status = SOME_FAILED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return NOT_RUN;
            }
        }
        out.flush();
        return status;
    }

    private static void cancelRest(RemoteExecutor gateway, List<Section> sections) {
        List<CompletableFuture<Boolean>> cancels = sections.stream().filter(section -> !section.future().isDone())
                .map(gateway::cancel).toList();
        try {
            CompletableFuture.allOf(cancels.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // best effort: the gateway's answers may not come before we go
        }
    }

    private static String whyNotOnline(CentralLink link, RemoteExecutor gateway, RemoteOptions options) {
        CentralSettings settings = link.settings();
        if (!link.isConnected()) {
            ConnectionReport report = link.report();
            return "cannot connect to the broker " + settings.endpoint() + report.problem().map(p -> ": " + p).orElse("");
        }
        String topic = settings.topic(options.gateway(), "status");
        return gateway.presence() == GatewayPresence.OFFLINE
                ? "gateway " + options.gateway() + " is offline (" + topic + " says offline)"
                : "gateway " + options.gateway() + " is not online (no status on " + topic + ": has it ever connected to "
                        + settings.endpoint() + "?)";
    }
}
