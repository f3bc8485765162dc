package dev.pathpoint.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.store.Reading;
import dev.pathpoint.api.store.ValueStore;
import dev.pathpoint.api.value.PathpointValue;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The whole stack wired in Felix with the default configuration: components up, reads and writes served. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StackIT {
    @Inject
    BundleContext context;
    @Inject
    OrderExecutor executor;
    @Inject
    ValueStore store;
    @Inject
    ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        return new Option[] {RuntimeOptions.runtime(TestConfig.copyOfDefaultConfig())};
    }

    @Before
    public void defaultConfigurationApplied() throws Exception {
        Sections.awaitDefaultDevice(executor);
    }

    @Test
    public void everyBundleIsActive() {
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getHeaders().get("Fragment-Host") == null) {
                assertEquals(bundle.getSymbolicName(), Bundle.ACTIVE, bundle.getState());
            }
        }
    }

    @Test
    public void everyPathpointComponentIsSatisfied() {
        List<String> pathpointBundles = List.of("dev.pathpoint.engine", "dev.pathpoint.modbus", "dev.pathpoint.sysctl", "dev.pathpoint.web");
        int components = 0;
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            String bundle = context.getBundle(description.bundle.id).getSymbolicName();
            if (!pathpointBundles.contains(bundle)) {
                continue;
            }
            components++;
            assertTrue(description.name + " is enabled", scr.isComponentEnabled(description));
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                assertTrue(description.name + " is " + configuration.state + ", unsatisfied: "
                        + Arrays.stream(configuration.unsatisfiedReferences).map(r -> r.name).collect(Collectors.joining(",")),
                        configuration.state == ComponentConfigurationDTO.ACTIVE
                                || configuration.state == ComponentConfigurationDTO.SATISFIED);
            }
        }
        assertTrue("engine, shell, runner, connection, simulator and four sysctl components", components >= 8);
    }

    @Test
    public void readsTheDefaultSimulatorImage() throws Exception {
        OrderOutcome outcome = Sections.runOne(executor, new ReadOrder("W1r0", AdviseLevel.FORCE));
        assertEquals(OrderOutcome.Status.DONE, outcome.status());
        assertEquals(PathpointValue.of(1200), ((OrderOutcome.Done) outcome).value().orElseThrow());
        Reading reading = store.reading("W1r0").orElseThrow();
        assertTrue(reading instanceof Reading.Success);
    }

    @Test
    public void writeThenReadThroughTheSimulator() throws Exception {
        var result = Sections.run(executor, new WriteOrder("W1r7", PathpointValue.of(4321), AdviseLevel.FORCE),
                new ReadOrder("W1r7", AdviseLevel.FORCE), new WriteOrder("f1r20", PathpointValue.of(-1.25), AdviseLevel.FORCE),
                new ReadOrder("f1r20", AdviseLevel.FORCE));
        assertTrue(result.toString(), result.succeeded());
        assertEquals(PathpointValue.of(4321), ((OrderOutcome.Done) result.outcome(1)).value().orElseThrow());
        assertEquals(PathpointValue.of(-1.25), ((OrderOutcome.Done) result.outcome(3)).value().orElseThrow());
    }

    @Test
    public void unservedPathpointFailsNoDriverUnderAdvise() throws Exception {
        OrderOutcome outcome = Sections.runOne(executor, new ReadOrder("W9r0", AdviseLevel.ADVISE));
        assertFalse(outcome.succeeded());
        assertEquals(dev.pathpoint.api.failure.OperationFailedReason.NO_DRIVER, ((OrderOutcome.Failed) outcome).reason());
    }
}
