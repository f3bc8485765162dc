package dev.pathpoint.web.internal.api;

import dev.pathpoint.web.internal.WebSettings;
import dev.pathpoint.web.internal.auth.PasswordCheck;
import dev.pathpoint.web.internal.dashboard.DashboardServlet;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * The API and dashboard servlets in a real Jetty 9.4 (the line Felix HTTP Jetty 4 and Pax Web 8 embed)
 * on a loopback port, as the whiteboard mounts them: context {@code /pathpoint}, the API at
 * {@code /api/v1/*}, the dashboard at {@code /}. A request header {@code X-Test-Remote} stands in for
 * the client's address, to test how clients from elsewhere are treated.
 */
final class WebServer implements AutoCloseable {
    static final String CONTEXT = "/pathpoint";

    final FakeGateway gateway = new FakeGateway();
    final Api api;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Server server;
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final ThreadPoolExecutor worker = (ThreadPoolExecutor) Executors.newFixedThreadPool(2);
    private final int port;

    WebServer(WebSettings settings) throws Exception {
        this(settings, System::nanoTime, realm -> null);
    }

    WebServer(WebSettings settings, LongSupplier nanoTime, Function<String, PasswordCheck> passwords) throws Exception {
        api = new Api(settings, gateway, worker, timer, nanoTime, passwords);
        gateway.listener = api.stream();
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.addCustomizer((connector, configuration, request) -> {
            String remote = request.getHeader("X-Test-Remote");
            if (remote != null) {
                request.setRemoteAddr(new InetSocketAddress(remote, 40000));
            }
        });
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath(CONTEXT);
        ServletHolder apiHolder = new ServletHolder(new ApiServlet(api));
        apiHolder.setAsyncSupported(true);
        context.addServlet(apiHolder, WebSettings.API_PATH + "/*");
        context.addServlet(new ServletHolder(new DashboardServlet()), "/");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    int port() {
        return port;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + CONTEXT + path);
    }

    URI api(String path) {
        return uri(WebSettings.API_PATH + "/" + path);
    }

    HttpRequest.Builder request(String path, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(api(path)).timeout(Duration.ofSeconds(30));
        return authorization == null ? builder : builder.header("Authorization", authorization);
    }

    HttpResponse<String> get(String path, String authorization) throws Exception {
        return client.send(request(path, authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String authorization, String contentType, String body) throws Exception {
        HttpRequest.Builder builder = request(path, authorization).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        api.close();
        server.stop();
        gateway.close();
        timer.shutdownNow();
        worker.shutdownNow();
    }
}
