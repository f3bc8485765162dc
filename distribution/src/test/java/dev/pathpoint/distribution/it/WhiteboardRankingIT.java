package dev.pathpoint.distribution.it;

import static org.junit.Assert.assertEquals;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.message.MessageHandler;
import dev.pathpoint.api.order.MessageOrder;
import dev.pathpoint.api.order.SysctlOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.sysctl.SysctlHandler;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * The engine's handlers come from DS field injection: in a real Felix the highest service.ranking
 * wins, whatever the order of registration, and a handler going away hands over to the next one.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WhiteboardRankingIT {
    @Inject
    BundleContext context;
    @Inject
    OrderExecutor executor;

    @Configuration
    public Option[] config() {
        return new Option[] {RuntimeOptions.runtime(TestConfig.copyOfDefaultConfig())};
    }

    private ServiceRegistration<SysctlHandler> sysctl(String report, int ranking) {
        return context.registerService(SysctlHandler.class, (op, args) -> report,
                new Hashtable<>(Map.of(SysctlHandler.OP, "ranked-op", Constants.SERVICE_RANKING, ranking)));
    }

    private String run(SysctlOrder order) throws Exception {
        Section section = Section.of(order);
        executor.execute(section);
        OrderOutcome outcome = section.future().get(30, TimeUnit.SECONDS).outcome(0);
        return outcome instanceof OrderOutcome.Done done ? done.value().map(v -> v.asText()).orElse("") : outcome.toString();
    }

    @Test
    public void theHighestRankedSysctlHandlerAnswersWhateverTheOrderOfRegistration() throws Exception {
        ServiceRegistration<SysctlHandler> middle = sysctl("middle", 5);
        ServiceRegistration<SysctlHandler> high = sysctl("high", 10);
        ServiceRegistration<SysctlHandler> low = sysctl("low", -3);
        try {
            assertEquals("high", run(new SysctlOrder("ranked-op", "")));
            high.unregister();
            high = null;
            assertEquals("middle", run(new SysctlOrder("ranked-op", "")));
            middle.setProperties(new Hashtable<>(Map.of(SysctlHandler.OP, "ranked-op", Constants.SERVICE_RANKING, -10)));
            assertEquals("low", run(new SysctlOrder("ranked-op", "")));
        } finally {
            for (ServiceRegistration<SysctlHandler> registration : new ServiceRegistration[] {middle, high, low}) {
                if (registration != null) {
                    registration.unregister();
                }
            }
        }
    }

    @Test
    public void theHighestRankedMessageHandlerAcknowledges() throws Exception {
        List<String> told = new CopyOnWriteArrayList<>();
        ServiceRegistration<MessageHandler> first = context.registerService(MessageHandler.class, uuid -> told.add("first " + uuid),
                new Hashtable<>(Map.of(Constants.SERVICE_RANKING, 1)));
        ServiceRegistration<MessageHandler> second = context.registerService(MessageHandler.class, uuid -> told.add("second " + uuid),
                new Hashtable<>(Map.of(Constants.SERVICE_RANKING, 2)));
        try {
            Section section = Section.of(new MessageOrder("m-1"));
            executor.execute(section);
            section.future().get(30, TimeUnit.SECONDS);
            assertEquals(List.of("second m-1"), told);
        } finally {
            first.unregister();
            second.unregister();
        }
    }
}
