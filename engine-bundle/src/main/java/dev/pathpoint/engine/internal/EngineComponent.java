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

    // registries live as long as the component object: DS binds dynamic references before activate
    private final Whiteboard whiteboard = Whiteboard.empty();
    private final DriverRegistry drivers = whiteboard.drivers();
    private final HandlerRegistry handlers = whiteboard.handlers();
    private final ListenerRegistry listeners = whiteboard.listeners();
    private final GrammarRegistry grammars = whiteboard.grammars();
    private SystemTimeSource time;
    private volatile Engine engine;

    @Activate
    void activate(EngineConfig config) {
        EngineSettings settings = EngineSettings.from(config);
        time = new SystemTimeSource(Clock.systemUTC(), "pathpoint-engine-timer");
        engine = new Engine(settings, whiteboard, time, "pathpoint-engine").start();
        LOG.info("Pathpoint engine started: {}", settings);
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

    @Reference(name = "grammar", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindGrammar", updated = "updatedGrammar")
    void bindGrammar(PathpointGrammar grammar, Map<String, Object> properties) {
        grammars.add(grammar, properties);
    }

    void updatedGrammar(PathpointGrammar grammar, Map<String, Object> properties) {
        grammars.add(grammar, properties);
    }

    void unbindGrammar(PathpointGrammar grammar) {
        grammars.remove(grammar);
    }

    @Reference(name = "sysctlHandler", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindSysctlHandler", updated = "updatedSysctlHandler")
    void bindSysctlHandler(SysctlHandler handler, Map<String, Object> properties) {
        handlers.sysctlHandlers().add(handler, properties);
    }

    void updatedSysctlHandler(SysctlHandler handler, Map<String, Object> properties) {
        handlers.sysctlHandlers().update(handler, properties);
    }

    void unbindSysctlHandler(SysctlHandler handler) {
        handlers.sysctlHandlers().remove(handler);
    }

    @Reference(name = "messageHandler", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindMessageHandler", updated = "updatedMessageHandler")
    void bindMessageHandler(MessageHandler handler, Map<String, Object> properties) {
        handlers.messageHandlers().add(handler, properties);
    }

    void updatedMessageHandler(MessageHandler handler, Map<String, Object> properties) {
        handlers.messageHandlers().update(handler, properties);
    }

    void unbindMessageHandler(MessageHandler handler) {
        handlers.messageHandlers().remove(handler);
    }

    @Reference(name = "listener", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindListener", updated = "updatedListener")
    void bindListener(PathpointListener listener, Map<String, Object> properties) {
        listeners.listeners().add(listener, properties);
    }

    void updatedListener(PathpointListener listener, Map<String, Object> properties) {
        listeners.listeners().update(listener, properties);
    }

    void unbindListener(PathpointListener listener) {
        listeners.listeners().remove(listener);
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
