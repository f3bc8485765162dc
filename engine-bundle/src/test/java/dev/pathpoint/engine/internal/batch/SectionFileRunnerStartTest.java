package dev.pathpoint.engine.internal.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;

/** The sections run starts once every bundle has started: not while the framework is still starting them. */
class SectionFileRunnerStartTest {
    private int systemState = Bundle.STARTING;
    private final List<FrameworkListener> listeners = new ArrayList<>();
    private final AtomicInteger runs = new AtomicInteger();

    private final Bundle system = (Bundle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Bundle.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "getState" -> systemState;
                default -> throw new UnsupportedOperationException(method.getName());
            });

    private final BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                case "getBundle" -> system;
                case "addFrameworkListener" -> listeners.add((FrameworkListener) args[0]);
                case "removeFrameworkListener" -> listeners.remove((FrameworkListener) args[0]);
                default -> throw new UnsupportedOperationException(method.getName());
            });

    private void fire(int type) {
        for (FrameworkListener listener : List.copyOf(listeners)) {
            listener.frameworkEvent(new FrameworkEvent(type, system, null));
        }
    }

    @Test
    void whileTheFrameworkStartsBundlesTheRunWaitsForItsStartedEvent() {
        SectionFileRunner.whenFrameworkStarted(context, runs::incrementAndGet);
        assertEquals(0, runs.get(), "bundles after the engine's are still starting");
        fire(FrameworkEvent.PACKAGES_REFRESHED);
        assertEquals(0, runs.get());
        systemState = Bundle.ACTIVE;
        fire(FrameworkEvent.STARTED);
        assertEquals(1, runs.get());
        fire(FrameworkEvent.STARTED);
        assertEquals(1, runs.get(), "once");
        assertEquals(List.of(), listeners, "the listener is removed");
    }

    @Test
    void inAStartedFrameworkTheRunStartsAtOnce() {
        systemState = Bundle.ACTIVE;
        SectionFileRunner.whenFrameworkStarted(context, runs::incrementAndGet);
        assertEquals(1, runs.get());
        assertEquals(List.of(), listeners);
    }
}
