package dev.pathpoint.engine.internal;

import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.driver.PathpointGrammar;
import dev.pathpoint.api.executor.ExecutorStatistics;
import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.message.MessageHandler;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.store.PathpointListener;
import dev.pathpoint.api.store.Reading;
import dev.pathpoint.api.store.ValueStore;
import dev.pathpoint.api.sysctl.SysctlHandler;
import dev.pathpoint.engine.internal.dispatch.Engine;
import dev.pathpoint.engine.internal.registry.DriverEntry;
import dev.pathpoint.engine.internal.registry.DriverRegistry;
import dev.pathpoint.engine.internal.registry.GrammarRegistry;
import dev.pathpoint.engine.internal.registry.Whiteboard;
import dev.pathpoint.engine.internal.registry.WhiteboardServices;
import java.util.function.Supplier;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentContext;
import dev.pathpoint.engine.internal.registry.HandlerRegistry;
import dev.pathpoint.engine.internal.registry.ListenerRegistry;
import dev.pathpoint.engine.internal.time.SystemTimeSource;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine as a Declarative Services component: provides {@link OrderExecutor} and
 * {@link ValueStore}, and tracks drivers, sysctl and message handlers and pathpoint listeners
 * through the whiteboard (dynamic, greedy). Configured by PID {@code dev.pathpoint.engine}; runs
 * with the defaults when there is no configuration.
 */
@Component(
        service = {OrderExecutor.class, ValueStore.class, EngineView.class},
        configurationPid = EngineConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true)
@Designate(ocd = EngineConfig.class)
public final class EngineComponent implements OrderExecutor, ValueStore, EngineView {
    private static final Logger LOG = LoggerFactory.getLogger(EngineComponent.class);
    private static final String SYSCTL_HANDLERS = "sysctlHandlers";
    private static final String MESSAGE_HANDLERS = "messageHandlers";
    private static final String LISTENERS = "listeners";
    private static final String GRAMMARS = "grammars";

    // DS sets these fields before activate and replaces them on every change; the registries read
    // them through, and sort by the references' current ranking on use
    @Reference(name = SYSCTL_HANDLERS, service = SysctlHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ServiceReference<SysctlHandler>> sysctlHandlers = List.of();
    @Reference(name = MESSAGE_HANDLERS, service = MessageHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ServiceReference<MessageHandler>> messageHandlers = List.of();
    @Reference(name = LISTENERS, service = PathpointListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ServiceReference<PathpointListener>> listeners = List.of();
    @Reference(name = GRAMMARS, service = PathpointGrammar.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ServiceReference<PathpointGrammar>> grammars = List.of();

    // drivers are bound by methods: the engine must be told of each change (re-dispatch on removal)
    private final DriverRegistry drivers = new DriverRegistry();
    private SystemTimeSource time;
    private volatile Engine engine;

    @Activate
    void activate(ComponentContext context, EngineConfig config) {
        EngineSettings settings = EngineSettings.from(config);
        Whiteboard whiteboard = new Whiteboard(drivers,
                new HandlerRegistry(services(context, SYSCTL_HANDLERS, () -> sysctlHandlers),
                        services(context, MESSAGE_HANDLERS, () -> messageHandlers)),
                new ListenerRegistry(services(context, LISTENERS, () -> listeners)),
                new GrammarRegistry(services(context, GRAMMARS, () -> grammars)));
        time = new SystemTimeSource(Clock.systemUTC(), "pathpoint-engine-timer");
        engine = new Engine(settings, whiteboard, time, "pathpoint-engine").start();
        LOG.info("Pathpoint engine started: {}", settings);
    }

    private static <S> WhiteboardServices<S> services(ComponentContext context, String reference,
            Supplier<List<ServiceReference<S>>> field) {
        return new WhiteboardServices<>(field, serviceReference -> context.locateService(reference, serviceReference));
    }

    @Modified
    void modified(EngineConfig config) {
        EngineSettings settings;
        try {
            settings = EngineSettings.from(config);
        } catch (IllegalArgumentException e) {
            LOG.error("Configuration {} rejected, keeping the current settings: {}", EngineConfig.PID, e.getMessage());
            return;
        }
        engine.reconfigure(settings);
        LOG.info("Pathpoint engine reconfigured: {}", settings);
    }

    @Deactivate
    void deactivate() {
        engine.close();
        time.close();
    }

    @Reference(name = "driver", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindDriver", updated = "updatedDriver")
    void bindDriver(PathpointDriver driver, Map<String, Object> properties) {
        drivers.add(driver, properties);
    }

    void updatedDriver(PathpointDriver driver, Map<String, Object> properties) {
        drivers.update(driver, properties);
    }

    void unbindDriver(PathpointDriver driver) {
        drivers.remove(driver);
    }

    @Override
    public void execute(Section... sections) {
        engine.execute(sections);
    }

    @Override
    public ExecutorStatistics statistics() {
        return engine.statistics();
    }

    @Override
    public Optional<Reading> reading(String pathpoint) {
        return engine.store().reading(pathpoint);
    }

    @Override
    public Map<String, Reading> readings() {
        return engine.store().readings();
    }

    @Override
    public OrderExecutor executor() {
        return this;
    }

    @Override
    public ValueStore store() {
        return this;
    }

    @Override
    public List<DriverEntry> drivers() {
        return engine.drivers();
    }

    @Override
    public List<Section> queuedSections(int max) {
        return engine.queuedSections(max);
    }

    @Override
    public EngineSettings settings() {
        return engine.settings();
    }

    @Override
    public EngineState state() {
        return engine.state();
    }

    @Override
    public String describePendingWork() {
        return engine.describePendingWork();
    }
}
