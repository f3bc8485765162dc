package dev.pathpoint.web.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The web API and dashboard's configuration (PID {@value #PID}); every setting applies live. */
@ObjectClassDefinition(
        id = WebConfig.PID,
        name = "Pathpoint web API and dashboard",
        description = "The HTTP API and the live dashboard on the container's HTTP Whiteboard. Without tokenHashes "
                + "or jaasRealm every request is refused with 401.")
public @interface WebConfig {
    String PID = "dev.pathpoint.web";

    @AttributeDefinition(name = "Context path",
            description = "Where the dashboard is served; the API is under <context path>/api/v1.")
    String contextPath() default "/pathpoint";

    @AttributeDefinition(name = "Allow remote clients",
            description = "Answer clients that are not on this machine. Off: only loopback clients are answered (403 "
                    + "otherwise), whatever address the HTTP service listens on.")
    boolean allowRemoteClients() default false;

    @AttributeDefinition(name = "Bearer token hashes",
            description = "Hashes of the accepted bearer tokens, never the tokens: sha256:<64 hex digits> for random "
                    + "tokens (pathpoint:webtoken makes one), or pbkdf2-sha256:<iterations>:<salt base64>:<hash base64> "
                    + "for tokens a person chose (pathpoint:webtoken <token>). A token may read and write.")
    String[] tokenHashes() default {};

    @AttributeDefinition(name = "JAAS realm",
            description = "Basic authentication against this JAAS realm (karaf in Apache Karaf); empty: no basic "
                    + "authentication.")
    String jaasRealm() default "";

    @AttributeDefinition(name = "JAAS roles that may read",
            description = "A JAAS user with one of these roles may use the GET endpoints.")
    String[] jaasReadRoles() default {"viewer", "manager", "admin"};

    @AttributeDefinition(name = "JAAS roles that may write",
            description = "A JAAS user with one of these roles may also run sections and sysctl commands.")
    String[] jaasWriteRoles() default {"admin"};

    @AttributeDefinition(name = "Largest request body (bytes)",
            description = "Bodies over this get 413 and are not read (at most 8388608, the wire format's limit).")
    int maxBodyBytes() default 1_048_576;

    @AttributeDefinition(name = "Wait for results (seconds)",
            description = "How long POST sections and POST sysctl wait for the results before they answer 202 with a "
                    + "location to poll; a request may ask for another wait with ?wait=SECONDS or Prefer: respond-async.")
    int waitSeconds() default 10;

    @AttributeDefinition(name = "Longest wait a request may ask for (seconds)")
    int maxWaitSeconds() default 120;

    @AttributeDefinition(name = "Result retention (seconds)",
            description = "How long the results of a section run answered with 202 can be fetched after it finished.")
    int resultRetentionSeconds() default 300;

    @AttributeDefinition(name = "Most finished results kept",
            description = "Beyond this the oldest finished result is forgotten, whatever its age.")
    int maxRetainedResults() default 1000;

    @AttributeDefinition(name = "Most unfinished runs",
            description = "Section runs submitted over HTTP and not finished; beyond this POST answers 503.")
    int maxRunningRuns() default 1000;

    @AttributeDefinition(name = "Writes per second",
            description = "Sustained rate of write requests (POST, DELETE) per user or token; beyond it 429.")
    double writesPerSecond() default 10;

    @AttributeDefinition(name = "Write burst", description = "Write requests a user may make at once before the rate applies.")
    int writeBurst() default 20;

    @AttributeDefinition(name = "Failed logins before slowing",
            description = "Failed authentications from one client address answered at once; after them each attempt "
                    + "from that address waits, twice as long after every further failure.")
    int authFreeFailures() default 3;

    @AttributeDefinition(name = "First delay after failed logins (ms)")
    int authDelayMillis() default 500;

    @AttributeDefinition(name = "Longest delay after failed logins (seconds)")
    int authMaxDelaySeconds() default 30;

    @AttributeDefinition(name = "Failed logins remembered for (minutes)",
            description = "A client address with no failure for this long starts afresh.")
    int authFailureMemoryMinutes() default 15;

    @AttributeDefinition(name = "Most value stream clients", description = "Beyond this GET values/stream answers 503.")
    int streamMaxClients() default 16;

    @AttributeDefinition(name = "Most pending changes per stream client",
            description = "Changes of distinct pathpoints a slow client may have waiting; a pathpoint's newer reading "
                    + "replaces its waiting one, and beyond this changes are dropped and the client is told to re-read.")
    int streamMaxPending() default 1000;

    @AttributeDefinition(name = "Stream keep-alive (seconds)")
    int streamHeartbeatSeconds() default 15;

    @AttributeDefinition(name = "Statistics sample interval (seconds)")
    int statsSampleSeconds() default 2;

    @AttributeDefinition(name = "Statistics samples kept", description = "The history that GET stats returns and the dashboard plots.")
    int statsSamples() default 150;

    @AttributeDefinition(name = "Most values in one answer", description = "GET values answers at most this many readings (truncated: true beyond).")
    int maxValues() default 10_000;

    @AttributeDefinition(name = "HTTP Whiteboard target",
            description = "An LDAP filter selecting the HTTP service runtime to register with (osgi.http.whiteboard.target); empty: the default.")
    String httpWhiteboardTarget() default "";
}
