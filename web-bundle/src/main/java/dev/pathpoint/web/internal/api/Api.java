package dev.pathpoint.web.internal.api;

import dev.pathpoint.web.internal.WebSettings;
import dev.pathpoint.web.internal.auth.Authenticator;
import dev.pathpoint.web.internal.auth.Identity;
import dev.pathpoint.web.internal.auth.LoginThrottle;
import dev.pathpoint.web.internal.auth.PasswordCheck;
import dev.pathpoint.web.internal.auth.WriteLimiter;
import dev.pathpoint.web.internal.run.SectionRuns;
import dev.pathpoint.web.internal.stats.StatisticsHistory;
import dev.pathpoint.web.internal.stream.ValueStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: who may ask (loopback only unless configured, credentials, login throttling, write
 * rate), then the route. Its state outlives configuration changes; {@link #configure} swaps the
 * settings and what depends on them in one step.
 */
public final class Api {
    private static final Logger LOG = LoggerFactory.getLogger(Api.class);

    private final Sources sources;
    private final Executor worker;
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoTime;
    private final Function<String, PasswordCheck> passwordChecks;
    private final SectionRuns runs;
    private final ValueStream stream;
    private final StatisticsHistory history;
    private final Routes routes;
    private volatile State state;

    /** Everything that a configuration decides, replaced together. */
    record State(WebSettings settings, Authenticator authenticator, LoginThrottle throttle, WriteLimiter writes) {
    }

    /**
     * @param passwordChecks makes the password check of a JAAS realm
     */
    public Api(WebSettings settings, Sources sources, Executor worker, ScheduledExecutorService timer,
            LongSupplier nanoTime, Function<String, PasswordCheck> passwordChecks) {
        this.sources = sources;
        this.worker = worker;
        this.timer = timer;
        this.nanoTime = nanoTime;
        this.passwordChecks = passwordChecks;
        this.runs = new SectionRuns(runLimits(settings), nanoTime, worker);
        this.stream = new ValueStream(worker, settings.streamMaxClients(), settings.streamMaxPending());
        this.history = new StatisticsHistory(settings.statsSamples());
        this.routes = new Routes(this);
        configure(settings);
    }

    /** Applies a (checked) configuration; login failures counted so far are kept if their rules did not change. */
    public void configure(WebSettings settings) {
        State previous = state;
        PasswordCheck passwords = settings.jaasRealm().isEmpty() ? null : passwordChecks.apply(settings.jaasRealm());
        Authenticator authenticator = new Authenticator(settings.tokenHashes(), passwords, settings.jaasReadRoles(),
                settings.jaasWriteRoles(), nanoTime);
        LoginThrottle throttle = previous != null && sameThrottle(previous.settings(), settings) ? previous.throttle()
                : new LoginThrottle(settings.authFreeFailures(), settings.authDelay().toNanos(),
                        settings.authMaxDelay().toNanos(), settings.authFailureMemory().toNanos(), nanoTime);
        WriteLimiter writes = previous != null && previous.settings().writesPerSecond() == settings.writesPerSecond()
                && previous.settings().writeBurst() == settings.writeBurst() ? previous.writes()
                : new WriteLimiter(settings.writesPerSecond(), settings.writeBurst(), nanoTime);
        state = new State(settings, authenticator, throttle, writes);
        runs.limits(runLimits(settings));
        stream.limits(settings.streamMaxClients(), settings.streamMaxPending());
        history.capacity(settings.statsSamples());
        if (previous != null && !previous.settings().equals(settings)) {
            // credentials may have been withdrawn: stream clients log in again
            stream.closeAll();
        }
        if (!settings.hasCredentials()) {
            LOG.warn("No bearer token hash and no JAAS realm configured (PID dev.pathpoint.web): every API request "
                    + "is refused with 401. pathpoint:webtoken makes a token and the tokenHashes line for it.");
        }
    }

    private static boolean sameThrottle(WebSettings a, WebSettings b) {
        return a.authFreeFailures() == b.authFreeFailures() && a.authDelay().equals(b.authDelay())
                && a.authMaxDelay().equals(b.authMaxDelay()) && a.authFailureMemory().equals(b.authFailureMemory());
    }

    private static SectionRuns.Limits runLimits(WebSettings settings) {
        return new SectionRuns.Limits(settings.maxRunningRuns(), settings.maxRetainedResults(),
                settings.maxRetainedBytes(), settings.resultRetention().toNanos());
    }

    State state() {
        return state;
    }

    Sources sources() {
        return sources;
    }

    Executor worker() {
        return worker;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    public SectionRuns runs() {
        return runs;
    }

    /** The value stream, to register as the pathpoint listener. */
    public ValueStream stream() {
        return stream;
    }

    public StatisticsHistory history() {
        return history;
    }

    /** Takes one statistics sample (the component's timer calls it). */
    public void sample() {
        try {
            history.add(java.time.Instant.now(), sources.executor().statistics());
        } catch (RuntimeException e) {
            LOG.debug("statistics sample failed", e);
        }
    }

    /** Ends every stream and forgets nothing else (the component is going away). */
    public void close() {
        stream.closeAll();
    }

    /** Serves a request to {@code <context>/api/v1/*}. */
    public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        State current = state;
        Exchange exchange = new Exchange(request, response, path, LoginThrottle.clientKey(request.getRemoteAddr()));
        if (!current.settings().allowRemoteClients() && !isLoopback(request.getRemoteAddr())) {
            exchange.answer(Answer.empty(HttpServletResponse.SC_FORBIDDEN));
            return;
        }
        if (routes.isPublic(request.getMethod(), path)) {
            routes.serve(exchange);
            return;
        }
        String authorization = request.getHeader("Authorization");
        if (!Authenticator.hasCredentials(authorization)) {
            exchange.answer(unauthorized(current, request));
            return;
        }
        LoginThrottle.Admission admission = current.throttle().admit(exchange.client);
        if (admission instanceof LoginThrottle.Admission.Now) {
            authenticated(exchange, current, authorization);
        } else if (admission instanceof LoginThrottle.Admission.Later later) {
            exchange.async();
            timer.schedule(() -> worker.execute(() -> {
                current.throttle().slotReached(exchange.client);
                authenticated(exchange, current, authorization);
            }), later.delayNanos(), TimeUnit.NANOSECONDS);
        } else if (admission instanceof LoginThrottle.Admission.Refused refused) {
            exchange.answer(Answer.empty(429).header("Retry-After", seconds(refused.retryAfterNanos())));
        }
    }

    private void authenticated(Exchange exchange, State current, String authorization) {
        Authenticator.Outcome outcome;
        try {
            outcome = current.authenticator().authenticate(authorization);
        } catch (RuntimeException e) {
            LOG.warn("Checking credentials failed", e);
            outcome = new Authenticator.Outcome.Refused();
        }
        if (outcome instanceof Authenticator.Outcome.Accepted accepted) {
            current.throttle().succeeded(exchange.client);
            exchange.identity = accepted.identity();
            route(exchange, current);
        } else {
            current.throttle().failed(exchange.client);
            LOG.info("Refused credentials from {} for {} {}", exchange.client, exchange.request.getMethod(), exchange.path);
            exchange.answer(unauthorized(current, exchange.request));
        }
    }

    private void route(Exchange exchange, State current) {
        Routes.Route route = routes.find(exchange);
        if (route == null) {
            return;
        }
        Identity identity = exchange.identity;
        if (route.writes()) {
            if (!identity.mayWrite()) {
                exchange.answer(Answer.empty(HttpServletResponse.SC_FORBIDDEN));
                return;
            }
            long wait = current.writes().acquire(identity.name());
            if (wait > 0) {
                exchange.answer(Errors.of(429, "too many write requests: at most " + current.settings().writesPerSecond()
                        + " per second, " + current.settings().writeBurst() + " at once")
                        .header("Retry-After", seconds(wait)));
                return;
            }
        }
        try {
            route.handler().handle(exchange);
        } catch (RuntimeException | IOException e) {
            LOG.error("{} {} failed", exchange.request.getMethod(), exchange.path, e);
            exchange.answer(Errors.of(500, "the request failed inside the server; its log says why"));
        }
    }

    private static Answer unauthorized(State current, HttpServletRequest request) {
        Answer answer = Answer.empty(HttpServletResponse.SC_UNAUTHORIZED)
                .header("WWW-Authenticate", "Bearer realm=\"pathpoint\"");
        // a script asking (fetch with X-Requested-With) gets no basic challenge, so that browsers show no login dialog
        if (current.authenticator().acceptsPasswords() && request.getHeader("X-Requested-With") == null) {
            answer.header("WWW-Authenticate", "Basic realm=\"pathpoint\", charset=\"UTF-8\"");
        }
        return answer;
    }

    static String seconds(long nanos) {
        return Long.toString(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
    }

    static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
