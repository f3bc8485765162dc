package dev.pathpoint.mqtt.internal.central;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.remote.GatewayPresence;
import dev.pathpoint.api.remote.RemoteExecutor;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.mqtt.internal.LinkConfigs;
import dev.pathpoint.mqtt.internal.link.Link;
import dev.pathpoint.mqtt.internal.link.LinkSettings;
import dev.pathpoint.mqtt.internal.link.LinkSettings.TlsSettings;
import dev.pathpoint.mqtt.internal.link.ScriptedExecutor;
import dev.pathpoint.mqtt.testing.Mosquitto;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The central link and a gateway's link through a real mosquitto, with a scripted executor on the gateway. */
class CentralLinkTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static Mosquitto broker;

    @TempDir
    Path journal;
    private final List<ScriptedExecutor> executors = new ArrayList<>();
    private final List<AutoCloseable> running = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = Mosquitto.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        executors.forEach(ScriptedExecutor::shutdown);
    }

    private CentralLink central(int offlineWaitSeconds) {
        CentralSettings settings = new CentralSettings("central-" + UUID.randomUUID(), "127.0.0.1", broker.port(),
                "pathpoint", List.of(), "", "", TlsSettings.OFF, Duration.ofSeconds(60), Duration.ofHours(1),
                Duration.ofSeconds(offlineWaitSeconds), Duration.ofSeconds(600), 1000, 100_000, Duration.ofMillis(100),
                Duration.ofSeconds(1));
        CentralLink central = new CentralLink(settings, "test", Clock.systemUTC()).start();
        running.add(central);
        await("central connected").atMost(LIMIT).until(central::isConnected);
        return central;
    }

    private Link gateway(String id, ScriptedExecutor executor) throws Exception {
        Link link = new Link(LinkSettings.from(LinkConfigs.of(Map.of("gatewayId", id, "host", "127.0.0.1",
                "port", broker.port(), "journalDirectory", journal.toString(), "reconnectDelayMillis", 100)), journal),
                "test", executor, Clock.systemUTC());
        link.start();
        running.add(link);
        await("gateway connected").atMost(LIMIT).until(link::isConnected);
        return link;
    }

    private ScriptedExecutor executor() {
        ScriptedExecutor executor = new ScriptedExecutor();
        executors.add(executor);
        return executor;
    }

    private static Section read(int register) {
        return Section.of(new ReadOrder("W1r" + register, AdviseLevel.ADVISE));
    }

    private static SectionResult result(Section section) throws Exception {
        return section.future().get(LIMIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void sectionsRunOnTheRemoteGatewayAndTheirFuturesCompleteWithItsResults() throws Exception {
        ScriptedExecutor executor = executor();
        gateway("gw-remote", executor);
        RemoteExecutor remote = central(30).forGateway("gw-remote");
        await("online").atMost(LIMIT).until(() -> remote.presence() == GatewayPresence.ONLINE);
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            sections.add(i % 3 == 0 ? Section.of(new WriteOrder("W1r" + i, PathpointValue.of(i), AdviseLevel.FORCE))
                    : read(i));
        }
        remote.execute(sections);
        for (int i = 0; i < sections.size(); i++) {
            SectionResult result = result(sections.get(i));
            assertTrue(result.succeeded(), i + ": " + result);
            OrderOutcome.Done done = (OrderOutcome.Done) result.outcome(0);
            assertEquals(PathpointValue.of(i % 3 == 0 ? i : 7), done.value().orElseThrow(), "section " + i);
            assertTrue(done.order() == sections.get(i).orders().get(0));
        }
        assertEquals(300, executor.executed().size(), "each ran once");
        for (int i = 0; i < 300; i += 3) {
            assertEquals(1, executor.writes("W1r" + i));
        }
        assertEquals(300, remote.statistics().ordersCompleted());
        assertEquals(0, remote.statistics().runningSections());
    }

    @Test
    void sectionsForAGatewayThatIsNotThereYetWaitAndRunWhenItConnects() throws Exception {
        RemoteExecutor remote = central(30).forGateway("gw-late");
        Section early = read(1);
        remote.execute(early);
        assertEquals(1, remote.statistics().queuedSections());
        gateway("gw-late", executor());
        assertTrue(result(early).succeeded());
    }

    @Test
    void aGatewayThatNeverComesFailsItsSectionsAfterTheOfflineWait() throws Exception {
        RemoteExecutor remote = central(1).forGateway("gw-absent");
        Section section = read(1);
        remote.execute(section);
        OrderOutcome.Failed failed = assertInstanceOf(OrderOutcome.Failed.class, result(section).outcome(0));
        assertEquals(OperationFailedReason.TIMEOUT, failed.reason());
        assertTrue(failed.message().startsWith("gateway gw-absent has not been online for "), failed.message());
        assertTrue(failed.message().endsWith("was not sent"), failed.message());
    }

    @Test
    void aSectionTheGatewayHasNotStartedIsCancelledThereAndAStartedOneRunsOn() throws Exception {
        ScriptedExecutor executor = executor();
        executor.hold();
        gateway("gw-cancel", executor);
        RemoteExecutor remote = central(30).forGateway("gw-cancel");
        Section held = read(1);
        Section other = read(2);
        remote.execute(held, other);
        await("both at the gateway").atMost(LIMIT).until(() -> executor.held() == 2);
        assertTrue(remote.cancel(held).get(LIMIT.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(OrderOutcome.Cancelled.class, result(held).outcome(0));
        executor.release();
        assertTrue(result(other).succeeded());
        assertFalse(remote.cancel(other).get(LIMIT.toSeconds(), TimeUnit.SECONDS), "finished: nothing to cancel");
    }

    @Test
    void aGatewayRestartingInTheMiddleDeliversTheRealResultsFromItsJournalOnce() throws Exception {
        ScriptedExecutor first = executor();
        first.hold();
        Link link = gateway("gw-restart", first);
        RemoteExecutor remote = central(30).forGateway("gw-restart");
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sections.add(read(i));
        }
        remote.execute(sections);
        await("all at the gateway").atMost(LIMIT).until(() -> first.held() == 20);
        link.close(); // stops with the sections unfinished: they stay in its journal
        running.remove(link);
        await("offline").atMost(LIMIT).until(() -> remote.presence() == GatewayPresence.OFFLINE);
        assertTrue(sections.stream().noneMatch(section -> section.future().isDone()));
        ScriptedExecutor second = executor();
        gateway("gw-restart", second);
        for (Section section : sections) {
            assertTrue(result(section).succeeded());
        }
        assertEquals(20, second.executed().size(), "the journal ran them again after the restart");
    }
}
