package dev.pathpoint.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.store.Reading;
import dev.pathpoint.api.store.ValueStore;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.api.wire.SectionCodec;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Modbus names through the whole stack: the Modbus bundle's grammar makes a name that is not a Modbus
 * pathpoint fail INVALID at once, whatever the configured units, while a valid name no connection
 * serves waits for a driver; and 64-bit integers stay exact from the write order through the device,
 * the value store and the wire format.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModbusNamesIT {
    /** Far longer than any test may wait: an outcome before it did not wait for a driver. */
    private static final long FORCE_NO_DRIVER_WAIT_MILLIS = 600_000;
    private static final long ADVISE_NO_DRIVER_WAIT_MILLIS = 1_500;

    @Inject
    OrderExecutor executor;
    @Inject
    ValueStore store;
    @Inject
    ConfigurationAdmin configurationAdmin;
    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return new Option[] {RuntimeOptions.runtime(TestConfig.copyOfDefaultConfig())};
    }

    @Before
    public void configure() throws Exception {
        Sections.awaitDefaultDevice(executor);
        Map<String, Object> settings = Map.of("noDriverWaitForceMillis", FORCE_NO_DRIVER_WAIT_MILLIS,
                "noDriverWaitAdviseMillis", ADVISE_NO_DRIVER_WAIT_MILLIS);
        configurationAdmin.getConfiguration("dev.pathpoint.engine", "?").update(new Hashtable<>(settings));
        Await.until("engine settings " + settings, Duration.ofSeconds(30), () -> {
            ServiceReference<OrderExecutor> reference = context.getServiceReference(OrderExecutor.class);
            return reference != null && settings.entrySet().stream()
                    .allMatch(e -> Objects.equals(String.valueOf(e.getValue()), String.valueOf(reference.getProperty(e.getKey()))));
        });
    }

    private static OrderOutcome.Failed failed(OrderOutcome outcome) {
        assertTrue(outcome.toString(), outcome instanceof OrderOutcome.Failed);
        return (OrderOutcome.Failed) outcome;
    }

    @Test
    public void aNameThatIsNotAModbusPathpointFailsInvalidAtOnceNamingThePart() throws Exception {
        String[][] cases = {
            {"W1q0", "at position 2: area letter 'q' is unknown"},
            {"W256r1", "at position 1: the unit id 256 is out of range 0..255"},
            {"W9r0:48", "at position 5: integer width 48 is not 16, 32 or 64 bits"},
        };
        for (String[] c : cases) {
            // FORCE: a name waiting for a driver would take ten minutes; Sections waits one at most
            OrderOutcome.Failed failure = failed(Sections.runOne(executor, new ReadOrder(c[0], AdviseLevel.FORCE)));
            assertEquals(c[0] + ": " + failure.message(), OperationFailedReason.INVALID, failure.reason());
            assertTrue(failure.message(), failure.message().contains("'" + c[0] + "'") && failure.message().contains(c[1]));
        }
    }

    @Test
    public void aValidNameThatNoConnectionServesWaitsForADriver() throws Exception {
        long start = System.nanoTime();
        OrderOutcome.Failed failure = failed(Sections.runOne(executor, new ReadOrder("W9r0", AdviseLevel.ADVISE)));
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(failure.message(), OperationFailedReason.NO_DRIVER, failure.reason());
        assertTrue("it waited for a driver: " + waitedMillis + " ms", waitedMillis >= ADVISE_NO_DRIVER_WAIT_MILLIS);
    }

    @Test
    public void sixtyFourBitIntegersStayExactThroughTheStack() throws Exception {
        BigInteger largest = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        SectionResult written = Sections.run(executor,
                new WriteOrder("W1r100:64", PathpointValue.of(largest), AdviseLevel.FORCE),
                new WriteOrder("w1r104:64@CDAB", PathpointValue.of(-9007199254740993L), AdviseLevel.FORCE),
                new WriteOrder("W1r108:32", PathpointValue.of(new BigInteger("99999999999999999999")), AdviseLevel.FORCE));
        assertTrue(written.toString(), written.succeeded());
        assertEquals("a done write tells the value written", PathpointValue.of(largest),
                ((OrderOutcome.Done) written.outcome(0)).value().orElseThrow());
        assertEquals("clipped to the 32-bit range, not to 16 bits", PathpointValue.of(4294967295L),
                ((OrderOutcome.Done) written.outcome(2)).value().orElseThrow());

        SectionResult read = Sections.run(executor, new ReadOrder("W1r100:64", AdviseLevel.FORCE),
                new ReadOrder("w1r104:64@CDAB", AdviseLevel.FORCE), new ReadOrder("W1r103", AdviseLevel.FORCE),
                new ReadOrder("W1r108:32", AdviseLevel.FORCE));
        assertTrue(read.toString(), read.succeeded());
        assertEquals(PathpointValue.of(largest), ((OrderOutcome.Done) read.outcome(0)).value().orElseThrow());
        assertEquals(PathpointValue.of(-9007199254740993L), ((OrderOutcome.Done) read.outcome(1)).value().orElseThrow());
        assertEquals("register by register", PathpointValue.of(65535), ((OrderOutcome.Done) read.outcome(2)).value().orElseThrow());
        assertEquals(PathpointValue.of(4294967295L), ((OrderOutcome.Done) read.outcome(3)).value().orElseThrow());

        Reading stored = store.reading("W1r100:64").orElseThrow();
        assertEquals(PathpointValue.of(largest), ((Reading.Success) stored).value());
        assertEquals(PathpointValue.of(-9007199254740993L), ((Reading.Success) store.reading("w1r104:64@CDAB").orElseThrow()).value());
        String line = SectionCodec.writeResult(read);
        assertTrue(line, line.contains("\"value\":18446744073709551615}"));
        assertTrue(line, line.contains("\"value\":-9007199254740993}"));
    }
}
