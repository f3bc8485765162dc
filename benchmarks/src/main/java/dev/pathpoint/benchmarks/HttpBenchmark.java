package dev.pathpoint.benchmarks;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.store.ValueStore;
import dev.pathpoint.modbus.internal.ConnectionSettings;
import dev.pathpoint.modbus.internal.ModbusDriver;
import dev.pathpoint.modbus.internal.sim.ModbusTcpSimulator;
import dev.pathpoint.web.internal.WebConfig;
import dev.pathpoint.web.internal.WebSettings;
import dev.pathpoint.web.internal.api.Api;
import dev.pathpoint.web.internal.api.ApiServlet;
import dev.pathpoint.web.internal.api.Sources;
import dev.pathpoint.web.internal.auth.TokenHash;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Comparison 6: a one-read section over HTTP ({@code POST /pathpoint/api/v1/sections} with a bearer
 * token, the web bundle's API servlet in Jetty 9.4 on loopback, a keep-alive HTTP/1.1 client) against
 * the same section handed to {@code OrderExecutor.execute} directly and awaited, on the same engine.
 * The device is an in-memory driver (the HTTP cost alone) or the embedded Modbus simulator over
 * loopback TCP. Latency: one client, sampled (median and p99); requests per second: four clients at
 * once. Every answer is checked.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 2)
public class HttpBenchmark {
    static final String TOKEN = "benchmark-token-0123456789abcdef";
    static final String PATHPOINT = "W1r7";
    static final String SECTION = "{\"orders\": [{\"type\": \"read\", \"path\": \"" + PATHPOINT + "\"}]}";
    static final String EXPECTED = "\"status\":\"done\",\"value\":";
    static final int CLIENTS = 4;

    @Param({"memory", "simulator"})
    public String device;

    private ModbusTcpSimulator simulator;
    private ModbusDriver modbus;
    private Fixtures.RunningEngine engine;
    private Server server;
    private Api api;
    private ScheduledExecutorService timer;
    private ExecutorService worker;
    private HttpClient client;
    private HttpRequest request;

    @Setup(Level.Trial)
    public void start() throws Exception {
        engine = new Fixtures.RunningEngine("bench-http", Fixtures.defaultSettings());
        if ("memory".equals(device)) {
            engine.add(new InMemoryDriver(), "W1r[0-9]+", "memory");
        } else if ("simulator".equals(device)) {
            simulator = new ModbusTcpSimulator(Fixtures.holdingRegisterImage(100), ModbusTcpSimulator.Options.loopback());
            ConnectionSettings settings = ConnectionSettings.tcp("bench", "127.0.0.1", simulator.port()).withUnits(Set.of(1));
            modbus = new ModbusDriver(settings);
            engine.add(modbus, settings.pathpointPattern(), "bench");
        } else {
            throw new IllegalArgumentException("device must be memory or simulator, was " + device);
        }
        timer = Executors.newSingleThreadScheduledExecutor();
        worker = Executors.newFixedThreadPool(2);
        // the shipped settings, but no write limit: the benchmark is the only client and writes as fast as it can
        api = new Api(settings(Map.of("tokenHashes", new String[] {TokenHash.sha256Of(TOKEN)},
                "writesPerSecond", 1e9, "writeBurst", 1_000_000_000)), sources(engine.engine, engine.engine.store()),
                worker, timer, System::nanoTime, realm -> null);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/pathpoint");
        ServletHolder holder = new ServletHolder(new ApiServlet(api));
        holder.setAsyncSupported(true);
        context.addServlet(holder, WebSettings.API_PATH + "/*");
        server.setHandler(context);
        server.start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/pathpoint/api/v1/sections"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(SECTION)).build();
        // both ways must read the value before they are timed
        overHttp();
        direct();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        server.stop();
        api.close();
        timer.shutdownNow();
        worker.shutdownNow();
        engine.close();
        if (modbus != null) {
            modbus.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public SectionResult direct() {
        Section section = Section.of(new ReadOrder(PATHPOINT, AdviseLevel.ADVISE));
        engine.engine.execute(section);
        SectionResult result = Fixtures.await(section, 30);
        if (!(result.outcome(0) instanceof OrderOutcome.Done)) {
            throw new IllegalStateException("direct read failed: " + result);
        }
        return result;
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public String overHttp() throws Exception {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().contains(EXPECTED)) {
            throw new IllegalStateException("HTTP read failed: " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(CLIENTS)
    public SectionResult directThroughput() {
        return direct();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(CLIENTS)
    public String httpThroughput() throws Exception {
        return overHttp();
    }

    /** The web configuration's defaults with some properties changed, as Config Admin would hand them over. */
    static WebSettings settings(Map<String, Object> overrides) {
        WebConfig config = (WebConfig) Proxy.newProxyInstance(WebConfig.class.getClassLoader(), new Class<?>[] {WebConfig.class},
                (proxy, method, args) -> overrides.containsKey(method.getName()) ? overrides.get(method.getName())
                        : method.getDefaultValue());
        return WebSettings.from(config);
    }

    private static Sources sources(OrderExecutor executor, ValueStore store) {
        return new Sources() {
            @Override
            public OrderExecutor executor() {
                return executor;
            }

            @Override
            public ValueStore store() {
                return store;
            }

            @Override
            public List<DriverService> drivers() {
                return List.of();
            }

            @Override
            public List<Monitor> monitors() {
                return List.<Monitor>of();
            }
        };
    }
}
