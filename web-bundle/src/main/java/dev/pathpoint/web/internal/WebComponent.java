package dev.pathpoint.web.internal;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.store.PathpointListener;
import dev.pathpoint.api.store.ValueStore;
import dev.pathpoint.web.internal.api.Api;
import dev.pathpoint.web.internal.api.ApiServlet;
import dev.pathpoint.web.internal.auth.JaasPasswordCheck;
import dev.pathpoint.web.internal.dashboard.DashboardServlet;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.servlet.Servlet;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.context.ServletContextHelper;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.http.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web API and the dashboard as a Declarative Services component: it registers, on the HTTP
 * Whiteboard, a servlet context at the configured path, the API servlet at {@code /api/v1/*} and the
 * dashboard at {@code /}, and the value stream as a {@link PathpointListener}. Configuration changes
 * apply live; a new context path moves everything (stream clients reconnect).
 */
@Component(configurationPid = WebConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = WebConfig.class)
@RequireHttpWhiteboard
public final class WebComponent {
    private static final Logger LOG = LoggerFactory.getLogger(WebComponent.class);
    static final String CONTEXT_NAME = "dev.pathpoint.web";

    /** The local engine: never an executor of a remote gateway (the MQTT bundle's, with {@code pathpoint.gateway}). */
    @Reference(target = "(!(pathpoint.gateway=*))")
    private OrderExecutor executor;
    @Reference
    private ValueStore store;

    private BundleContext context;
    private ScheduledThreadPoolExecutor timer;
    private ThreadPoolExecutor worker;
    private Api api;
    private WebSettings settings;
    private ScheduledFuture<?> sampling;
    private ScheduledFuture<?> heartbeat;
    private ServiceRegistration<ServletContextHelper> contextRegistration;
    private ServiceRegistration<Servlet> apiRegistration;
    private ServiceRegistration<Servlet> dashboardRegistration;
    private ServiceRegistration<PathpointListener> listenerRegistration;

    @Activate
    void activate(BundleContext bundleContext, WebConfig config) {
        this.context = bundleContext;
        WebSettings checked;
        try {
            checked = WebSettings.from(config);
        } catch (IllegalArgumentException e) {
            LOG.error("Configuration {} rejected, the web API and dashboard are not started: {}", WebConfig.PID, e.getMessage());
            throw e;
        }
        timer = new ScheduledThreadPoolExecutor(1, threads("pathpoint-web-timer"));
        timer.setRemoveOnCancelPolicy(true);
        worker = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads("pathpoint-web"));
        worker.allowCoreThreadTimeOut(true);
        api = new Api(checked, new OsgiSources(bundleContext, executor, store), worker, timer, System::nanoTime,
                JaasPasswordCheck::new);
        settings = checked;
        schedule(checked);
        listenerRegistration = bundleContext.registerService(PathpointListener.class, api.stream(), new Hashtable<>());
        contextRegistration = bundleContext.registerService(ServletContextHelper.class,
                new ServletContextHelper(bundleContext.getBundle()) {
                }, contextProperties(checked));
        apiRegistration = bundleContext.registerService(Servlet.class, new ApiServlet(api),
                servletProperties(checked, "pathpoint-api", WebSettings.API_PATH + "/*"));
        dashboardRegistration = bundleContext.registerService(Servlet.class, new DashboardServlet(),
                servletProperties(checked, "pathpoint-dashboard", "/"));
        LOG.info("Pathpoint web: dashboard at {}, API at {}{}", checked.contextPath(), base(checked), WebSettings.API_PATH);
    }

    @Modified
    void modified(WebConfig config) {
        WebSettings checked;
        try {
            checked = WebSettings.from(config);
        } catch (IllegalArgumentException e) {
            LOG.error("Configuration {} rejected, keeping the current settings: {}", WebConfig.PID, e.getMessage());
            return;
        }
        WebSettings previous = settings;
        settings = checked;
        api.configure(checked);
        if (!previous.statsSample().equals(checked.statsSample()) || !previous.streamHeartbeat().equals(checked.streamHeartbeat())) {
            sampling.cancel(false);
            heartbeat.cancel(false);
            schedule(checked);
        }
        if (!previous.contextPath().equals(checked.contextPath())
                || !previous.httpWhiteboardTarget().equals(checked.httpWhiteboardTarget())) {
            contextRegistration.setProperties(contextProperties(checked));
            apiRegistration.setProperties(servletProperties(checked, "pathpoint-api", WebSettings.API_PATH + "/*"));
            dashboardRegistration.setProperties(servletProperties(checked, "pathpoint-dashboard", "/"));
            LOG.info("Pathpoint web moved: dashboard at {}, API at {}{}", checked.contextPath(), base(checked), WebSettings.API_PATH);
        }
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> registration : new ServiceRegistration<?>[] {
                dashboardRegistration, apiRegistration, contextRegistration, listenerRegistration}) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // unregistered already (the bundle is stopping)
            }
        }
        api.close();
        timer.shutdownNow();
        worker.shutdownNow();
    }

    private void schedule(WebSettings current) {
        long sample = current.statsSample().toMillis();
        sampling = timer.scheduleAtFixedRate(api::sample, 0, sample, TimeUnit.MILLISECONDS);
        long beat = current.streamHeartbeat().toMillis();
        heartbeat = timer.scheduleAtFixedRate(() -> {
            api.stream().heartbeat();
            api.runs().sweep();
        }, beat, beat, TimeUnit.MILLISECONDS);
    }

    private static String base(WebSettings settings) {
        return settings.contextPath().equals("/") ? "" : settings.contextPath();
    }

    private static Dictionary<String, Object> contextProperties(WebSettings settings) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME, CONTEXT_NAME);
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_PATH, settings.contextPath());
        target(settings, properties);
        return properties;
    }

    private static Dictionary<String, Object> servletProperties(WebSettings settings, String name, String pattern) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, name);
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, pattern);
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED, Boolean.TRUE);
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT,
                "(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=" + CONTEXT_NAME + ")");
        target(settings, properties);
        return properties;
    }

    private static void target(WebSettings settings, Hashtable<String, Object> properties) {
        if (!settings.httpWhiteboardTarget().isEmpty()) {
            properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_TARGET, settings.httpWhiteboardTarget());
        }
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
