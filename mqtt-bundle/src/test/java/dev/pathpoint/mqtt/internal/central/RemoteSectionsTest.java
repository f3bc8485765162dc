package dev.pathpoint.mqtt.internal.central;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.remote.GatewayPresence;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.section.SectionState;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.api.wire.SectionCodec;
import dev.pathpoint.mqtt.internal.link.LinkSettings.TlsSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The correlation of sections and result documents, with a recording outbound, a manual clock and
 * futures completed on the test's thread: ids, repeats, order, waiting for offline gateways, time
 * limits, cancelling, back-pressure and refusals.
 */
class RemoteSectionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ManualClock clock = new ManualClock();
    private final Recorder outbound = new Recorder();
    private RemoteSections sections = sections(1000, 1000);

    private RemoteSections sections(int sentPerGateway, int pending) {
        CentralSettings settings = new CentralSettings("central-1", "broker.test", 1883, "pathpoint", List.of(), "", "",
                TlsSettings.OFF, Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofSeconds(30),
                Duration.ofSeconds(600), sentPerGateway, pending, Duration.ofMillis(100), Duration.ofSeconds(1));
        return new RemoteSections(settings, outbound, clock, Runnable::run, "central-1-run");
    }

    /** What the correlation publishes. */
    static final class Recorder implements RemoteSections.Outbound {
        final List<Sent> sent = new ArrayList<>();
        final List<String> cancels = new ArrayList<>();
        final List<String> watched = new ArrayList<>();

        record Sent(String gateway, String id, String document, CompletableFuture<Void> acknowledged) {
        }

        @Override
        public CompletableFuture<Void> publishSection(String gateway, String id, byte[] document) {
            CompletableFuture<Void> acknowledged = new CompletableFuture<>();
            sent.add(new Sent(gateway, id, new String(document, StandardCharsets.UTF_8), acknowledged));
            return acknowledged;
        }

        @Override
        public void publishCancel(String gateway, String id) {
            cancels.add(gateway + ":" + id);
        }

        @Override
        public void watch(String gateway) {
            watched.add(gateway);
        }
    }

    private static Section read(String path) {
        return Section.of(new ReadOrder(path, AdviseLevel.ADVISE));
    }

    private void online(String gateway) {
        sections.connected();
        status(gateway, "online");
    }

    /** A retained status as the broker delivers it to a central that follows the gateway. */
    private void status(String gateway, String status) {
        sections.watch(gateway);
        sections.presence(gateway, status);
    }

    /** What the gateway's link would publish for a sent section: its result line in a result document. */
    private static byte[] resultDocument(String id, String gateway, Section executedThere, SectionResult result) {
        return ("{\"id\":\"" + id + "\",\"gateway\":\"" + gateway + "\",\"sections\":[" + SectionCodec.writeResult(result)
                + "]}").getBytes(StandardCharsets.UTF_8);
    }

    /** The gateway's answer to the n-th sent document: reads answer their index, as the gateway would. */
    private byte[] answer(int n, long value) throws Exception {
        Recorder.Sent sent = outbound.sent.get(n);
        Section there = SectionCodec.readSections(sent.document()).get(0);
        SectionResult result = new SectionResult(there.orders().stream()
                .<OrderOutcome>map(order -> OrderOutcome.done(order, PathpointValue.of(value))).toList());
        return resultDocument(sent.id(), sent.gateway(), there, result);
    }

    private static long valueOf(Section section) throws Exception {
        OrderOutcome.Done done = assertInstanceOf(OrderOutcome.Done.class, section.future().get().outcome(0));
        return ((PathpointValue.Whole) done.value().orElseThrow()).value();
    }

    @Test
    void eachResultCompletesTheSectionWhoseIdItCarriesOnItsOwnOrders() throws Exception {
        online("g1");
        Section a = read("W1r0");
        Section b = read("W1r1");
        sections.execute("g1", List.of(a, b));
        assertEquals(2, outbound.sent.size());
        assertEquals(SectionState.EXECUTING, a.state(), "sent counts as started here");
        JsonNode document = JSON.readTree(outbound.sent.get(0).document());
        assertEquals("W1r0", document.get("orders").get(0).get("path").asText(), "one section per document");
        assertTrue(!outbound.sent.get(0).id().equals(outbound.sent.get(1).id()));
        assertTrue(outbound.sent.get(0).id().startsWith("central-1-run-"));

        sections.result(answer(1, 11), Optional.empty()); // out of order: b first
        assertTrue(b.future().isDone());
        assertFalse(a.future().isDone());
        sections.result(answer(0, 10), Optional.empty());
        assertEquals(10, valueOf(a));
        assertEquals(11, valueOf(b));
        assertTrue(a.future().get().outcome(0).order() == a.orders().get(0), "the outcome is on the section's own order");
        assertEquals(0, sections.statistics("g1").runningSections());
        assertEquals(2, sections.statistics("g1").ordersCompleted());
    }

    @Test
    void aResultThatArrivesTwiceCompletesTheSectionOnce() throws Exception {
        online("g1");
        Section a = read("W1r0");
        AtomicInteger completions = new AtomicInteger();
        a.future().whenComplete((result, failure) -> completions.incrementAndGet());
        sections.execute("g1", List.of(a));
        byte[] answer = answer(0, 5);
        sections.result(answer, Optional.empty());
        sections.result(answer, Optional.empty());
        sections.result(answer, Optional.empty());
        assertEquals(1, completions.get());
        assertEquals(5, valueOf(a));
        assertEquals(2L, sections.counters().get("resultsRepeated"));
        sections.result("{\"id\":\"someone-else-1\",\"gateway\":\"g1\",\"sections\":[]}".getBytes(StandardCharsets.UTF_8),
                Optional.empty());
        assertEquals(1L, sections.counters().get("resultsUnknown"));
    }

    @Test
    void withoutAnIdInTheDocumentTheCorrelationDataMatches() throws Exception {
        online("g1");
        Section a = read("W1r0");
        sections.execute("g1", List.of(a));
        String line = SectionCodec.writeResult(new SectionResult(List.of(OrderOutcome.done(a.orders().get(0),
                PathpointValue.of(3)))));
        sections.result(("{\"sections\":[" + line + "]}").getBytes(StandardCharsets.UTF_8),
                Optional.of(outbound.sent.get(0).id()));
        assertEquals(3, valueOf(a));
    }

    @Test
    void sectionsWaitForAnOfflineGatewayAndGoOutInOrderWhenItComesOnline() throws Exception {
        sections.connected();
        status("g1", "offline");
        List<Section> batch = List.of(read("W1r0"), read("W1r1"), read("W1r2"));
        sections.execute("g1", batch);
        assertEquals(0, outbound.sent.size());
        assertEquals(3, sections.statistics("g1").queuedSections());
        assertEquals(SectionState.PENDING, batch.get(0).state());
        clock.advance(Duration.ofSeconds(29));
        assertEquals(0, sections.sweep());
        status("g1", "online");
        assertEquals(List.of("W1r0", "W1r1", "W1r2"), outbound.sent.stream()
                .map(sent -> sent.document().replaceAll(".*\"path\":\"([^\"]+)\".*", "$1")).toList());
    }

    @Test
    void anOfflineGatewaysSectionsFailTimeoutAfterTheOfflineWaitWithTheReason() throws Exception {
        sections.connected();
        status("g1", "offline");
        clock.advance(Duration.ofSeconds(70));
        Section early = read("W1r0");
        sections.execute("g1", List.of(early));
        clock.advance(Duration.ofSeconds(10));
        Section late = read("W1r1");
        sections.execute("g1", List.of(late));
        clock.advance(Duration.ofSeconds(20));
        assertEquals(1, sections.sweep(), "30 s after it was executed, not after the gateway went away");
        OrderOutcome.Failed failed = assertInstanceOf(OrderOutcome.Failed.class, early.future().get().outcome(0));
        assertEquals(OperationFailedReason.TIMEOUT, failed.reason());
        assertEquals("gateway g1 has been offline for 100 s (pathpoint/g1/status says offline); the section waited 30 s"
                + " (offlineWaitSeconds) and was not sent", failed.message());
        assertFalse(late.future().isDone());
        clock.advance(Duration.ofSeconds(10));
        assertEquals(1, sections.sweep());
        assertTrue(late.future().isDone());
        assertEquals(0, outbound.sent.size());
        assertEquals(2L, sections.statistics("g1").failuresByReason().get(OperationFailedReason.TIMEOUT));
    }

    @Test
    void aGatewayWithoutStatusHasNeverBeenOnlineAndADisconnectedCentralSaysSo() throws Exception {
        sections.connected();
        Section unknown = read("W1r0");
        sections.execute("g-new", List.of(unknown));
        assertEquals(List.of("g-new"), outbound.watched);
        assertEquals(GatewayPresence.UNKNOWN, sections.presence("g-new"));
        clock.advance(Duration.ofSeconds(30));
        sections.sweep();
        String message = ((OrderOutcome.Failed) unknown.future().get().outcome(0)).message();
        assertTrue(message.startsWith("gateway g-new has not been online for 30 s (no status on pathpoint/g-new/status"),
                message);

        online("g1");
        sections.disconnected("connection refused (is the broker running?)");
        Section cut = read("W1r0");
        sections.execute("g1", List.of(cut));
        clock.advance(Duration.ofSeconds(30));
        sections.sweep();
        message = ((OrderOutcome.Failed) cut.future().get().outcome(0)).message();
        assertTrue(message.startsWith("gateway g1 cannot be reached: this central system (central-1) has not been"
                + " connected to the broker mqtt://broker.test:1883 for 30 s (connection refused"), message);
    }

    @Test
    void aSentSectionOfAGatewayThatStaysAwayTimesOutAndIsCancelledThereAndItsLateResultIsDropped() throws Exception {
        online("g1");
        Section a = read("W1r0");
        sections.execute("g1", List.of(a));
        clock.advance(Duration.ofSeconds(5));
        status("g1", "offline"); // the will: killed
        clock.advance(Duration.ofSeconds(29));
        assertEquals(0, sections.sweep());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, sections.sweep());
        OrderOutcome.Failed failed = (OrderOutcome.Failed) a.future().get().outcome(0);
        assertEquals(OperationFailedReason.TIMEOUT, failed.reason());
        assertTrue(failed.message().endsWith("had been sent: it may still run there when the gateway is back (a cancel"
                + " was sent)"), failed.message());
        assertEquals(List.of("g1:" + outbound.sent.get(0).id()), outbound.cancels);
        sections.result(answer(0, 1), Optional.empty());
        assertEquals(1L, sections.counters().get("resultsRepeated"));
    }

    @Test
    void aGatewayBackWithinTheOfflineWaitDeliversTheRealResult() throws Exception {
        online("g1");
        Section a = read("W1r0");
        sections.execute("g1", List.of(a));
        status("g1", "offline");
        clock.advance(Duration.ofSeconds(25));
        status("g1", "online");
        clock.advance(Duration.ofSeconds(25));
        assertEquals(0, sections.sweep());
        sections.result(answer(0, 42), Optional.empty());
        assertEquals(42, valueOf(a));
    }

    @Test
    void anOnlineGatewayThatNeverAnswersTimesOutAfterTheResultTimeout() throws Exception {
        online("g1");
        Section a = read("W1r0");
        sections.execute("g1", List.of(a));
        clock.advance(Duration.ofSeconds(599));
        assertEquals(0, sections.sweep());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, sections.sweep());
        assertEquals("gateway g1 sent no result within 600 s (resultTimeoutSeconds); the section may still run there"
                + " (a cancel was sent)", ((OrderOutcome.Failed) a.future().get().outcome(0)).message());
        assertEquals(1, outbound.cancels.size());
    }

    @Test
    void cancellingAWaitingSectionCancelsItHereAndItIsNeverSent() throws Exception {
        sections.connected();
        Section a = read("W1r0");
        Section b = read("W1r1");
        sections.execute("g1", List.of(a, b));
        assertTrue(a.future().cancel(true));
        assertTrue(sections.cancel(b).get());
        assertTrue(a.future().isCancelled());
        assertTrue(b.future().isCancelled());
        assertEquals(0, sections.statistics("g1").queuedSections());
        status("g1", "online");
        assertEquals(0, outbound.sent.size());
    }

    @Test
    void cancellingASentSectionAsksTheGatewayAndTellsWhatItDid() throws Exception {
        online("g1");
        Section stopped = read("W1r0");
        Section ran = read("W1r1");
        Section unknownThere = read("W1r2");
        sections.execute("g1", List.of(stopped, ran, unknownThere));
        assertFalse(stopped.cancel(), "once sent, Section.cancel changes nothing");
        CompletableFuture<Boolean> first = sections.cancel(stopped);
        CompletableFuture<Boolean> second = sections.cancel(ran);
        CompletableFuture<Boolean> third = sections.cancel(unknownThere);
        assertEquals(3, outbound.cancels.size());
        assertFalse(first.isDone());

        Section there = SectionCodec.readSections(outbound.sent.get(0).document()).get(0);
        sections.result(resultDocument(outbound.sent.get(0).id(), "g1", there, new SectionResult(List.of(
                new OrderOutcome.Cancelled(there.orders().get(0))))), Optional.empty());
        assertTrue(first.get());
        assertInstanceOf(OrderOutcome.Cancelled.class, stopped.future().get().outcome(0));

        sections.result(answer(1, 9), Optional.empty());
        assertFalse(second.get(), "it had started: the real result");
        assertEquals(9, valueOf(ran));

        sections.result(("{\"id\":\"" + outbound.sent.get(2).id() + "\",\"gateway\":\"g1\",\"error\":{\"location\":\"$\","
                + "\"problem\":\"cancelled before it reached the gateway\"}}").getBytes(StandardCharsets.UTF_8), Optional.empty());
        assertTrue(third.get());
        assertInstanceOf(OrderOutcome.Cancelled.class, unknownThere.future().get().outcome(0));
    }

    @Test
    void aRefusedDocumentFailsItsOrdersWithTheGatewaysReason() throws Exception {
        online("g1");
        Section a = read("W1r0");
        sections.execute("g1", List.of(a));
        sections.result(("{\"id\":\"" + outbound.sent.get(0).id() + "\",\"gateway\":\"g1\",\"error\":{\"location\":\"$\","
                + "\"problem\":\"the document is 300000 bytes, larger than the 262144 bytes this gateway accepts\"}}")
                .getBytes(StandardCharsets.UTF_8), Optional.empty());
        OrderOutcome.Failed failed = (OrderOutcome.Failed) a.future().get().outcome(0);
        assertEquals(OperationFailedReason.INVALID, failed.reason());
        assertTrue(failed.message().startsWith("gateway g1 did not run the section: $: the document is 300000 bytes"));
    }

    @Test
    void aResultThatDoesNotFitTheSectionFailsItNamingThePlace() throws Exception {
        online("g1");
        Section a = read("W1r0");
        sections.execute("g1", List.of(a));
        Section other = read("W9r9");
        sections.result(resultDocument(outbound.sent.get(0).id(), "g1", other, new SectionResult(List.of(
                OrderOutcome.done(other.orders().get(0), PathpointValue.of(1))))), Optional.empty());
        OrderOutcome.Failed failed = (OrderOutcome.Failed) a.future().get().outcome(0);
        assertEquals(OperationFailedReason.ERROR, failed.reason());
        assertTrue(failed.message().contains("$.orders[0].path"), failed.message());
        sections.result("not json".getBytes(StandardCharsets.UTF_8), Optional.empty());
        assertEquals(1L, sections.counters().get("resultsUnknown"));
    }

    @Test
    void noMoreThanTheLimitIsSentToOneGatewayAndAnAnswerLetsTheNextGo() throws Exception {
        sections = sections(2, 1000);
        online("g1");
        List<Section> batch = List.of(read("W1r0"), read("W1r1"), read("W1r2"));
        sections.execute("g1", batch);
        assertEquals(2, outbound.sent.size());
        assertEquals(1, sections.statistics("g1").queuedSections());
        assertEquals(2, sections.statistics("g1").runningSections());
        sections.result(answer(0, 1), Optional.empty());
        assertEquals(3, outbound.sent.size());
    }

    @Test
    void beyondThePendingLimitSectionsAreRejectedAndAfterCloseTheyFailShutdown() throws Exception {
        sections = sections(1000, 2);
        sections.connected();
        Section a = read("W1r0");
        Section b = read("W1r1");
        Section c = read("W1r2");
        sections.execute("g1", List.of(a, b, c));
        assertEquals(OperationFailedReason.REJECTED, ((OrderOutcome.Failed) c.future().get().outcome(0)).reason());
        assertThrows(IllegalArgumentException.class, () -> sections.execute("g1", List.of(a)));
        sections.close();
        assertEquals(OperationFailedReason.SHUTDOWN, ((OrderOutcome.Failed) a.future().get().outcome(0)).reason());
        Section d = read("W1r3");
        sections.execute("g1", List.of(d));
        assertEquals(OperationFailedReason.SHUTDOWN, ((OrderOutcome.Failed) d.future().get().outcome(0)).reason());
    }

    @Test
    void aSectionTheBrokerRefusesFailsErrorAndFreesItsPlace() throws Exception {
        online("g1");
        Section a = read("W1r0");
        sections.execute("g1", List.of(a));
        outbound.sent.get(0).acknowledged().completeExceptionally(new RemoteSections.RefusedByBroker("NOT_AUTHORIZED"));
        OrderOutcome.Failed failed = (OrderOutcome.Failed) a.future().get().outcome(0);
        assertEquals(OperationFailedReason.ERROR, failed.reason());
        assertEquals("the broker refused the section for gateway g1: NOT_AUTHORIZED; it was not delivered", failed.message());
        assertEquals(0, sections.statistics("g1").runningSections());
    }

    @Test
    void writesTravelWithTheirValueAndComeBackWithTheirOutcome() throws Exception {
        online("g1");
        Section write = Section.of(new WriteOrder("W1r5", PathpointValue.of(77), AdviseLevel.FORCE));
        sections.execute("g1", List.of(write));
        Section there = SectionCodec.readSections(outbound.sent.get(0).document()).get(0);
        assertEquals(PathpointValue.of(77), ((WriteOrder) there.orders().get(0)).value());
        sections.result(resultDocument(outbound.sent.get(0).id(), "g1", there, new SectionResult(List.of(
                new OrderOutcome.Failed(there.orders().get(0), OperationFailedReason.TIMEOUT, "no answer")))),
                Optional.empty());
        OrderOutcome.Failed failed = (OrderOutcome.Failed) write.future().get().outcome(0);
        assertEquals(OperationFailedReason.TIMEOUT, failed.reason());
        assertEquals("no answer", failed.message());
    }
}
