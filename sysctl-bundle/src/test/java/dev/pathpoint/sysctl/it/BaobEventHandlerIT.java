package dev.pathpoint.sysctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** {@code baob-*}: Event Admin events any bundle can react to. */
class BaobEventHandlerIT {

    @TempDir
    Path temp;

    private RunningFramework running;
    private final BlockingQueue<Event> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void startFrameworkAndListen() throws Exception {
        running = RunningFramework.start(temp.resolve("storage"));
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(EventConstants.EVENT_TOPIC, new String[] {"dev/pathpoint/baob/*", "acme/blobs/*"});
        running.context().registerService(EventHandler.class, received::add, properties);
    }

    @AfterEach
    void stopFramework() throws Exception {
        running.close();
    }

    @Test
    void postsOneEventPerChangeWithTheKey() throws Exception {
        assertEquals("posted dev/pathpoint/baob/CREATED baob.key=firmware/v2.bin",
                running.dispatcher().execute("baob-created", "firmware/v2.bin"));
        assertEvent("dev/pathpoint/baob/CREATED", "firmware/v2.bin", "baob-created");
        running.dispatcher().execute("baob-updated", "settings");
        assertEvent("dev/pathpoint/baob/UPDATED", "settings", "baob-updated");
        running.dispatcher().execute("baob-deleted", "old-log");
        assertEvent("dev/pathpoint/baob/DELETED", "old-log", "baob-deleted");
    }

    @Test
    void topicPrefixIsConfigurable() throws Exception {
        running.configure("dev.pathpoint.sysctl.baob", Map.of("topic.prefix", "acme/blobs"));
        running.dispatcher().execute("baob-created", "k");
        assertEvent("acme/blobs/CREATED", "k", "baob-created");

        running.configure("dev.pathpoint.sysctl.baob", Map.of("topic.prefix", "acme//x"));
        OperationFailedException failure = assertThrows(OperationFailedException.class,
                () -> running.dispatcher().execute("baob-created", "k"));
        assertEquals(OperationFailedReason.INVALID, failure.reason());
        assertTrue(failure.getMessage().contains("topic.prefix 'acme//x'"), failure.getMessage());
    }

    @Test
    void emptyOrMalformedKeyIsRefusedAndNothingIsPosted() throws Exception {
        assertInvalid("baob-created", "", "baob-created needs the BAOB key as its argument; got nothing");
        assertInvalid("baob-updated", "two words", "baob-updated key 'two words' holds a blank or control character");
        assertInvalid("baob-deleted", " padded", "baob-deleted key ' padded' has leading or trailing blanks");
        // A valid one afterwards is the first and only event.
        running.dispatcher().execute("baob-deleted", "x");
        assertEvent("dev/pathpoint/baob/DELETED", "x", "baob-deleted");
        assertEquals(0, received.size());
    }

    @Test
    void withoutEventAdminTheOrderFailsClearly() throws Exception {
        running.bundle("org.apache.felix.eventadmin").stop();
        OperationFailedException failure = assertThrows(OperationFailedException.class,
                () -> running.dispatcher().execute("baob-created", "k"));
        assertEquals(OperationFailedReason.ERROR, failure.reason());
        assertEquals("no Event Admin service is running: baob-created k was not posted", failure.getMessage());
    }

    private void assertInvalid(String op, String args, String expected) {
        OperationFailedException failure = assertThrows(OperationFailedException.class,
                () -> running.dispatcher().execute(op, args));
        assertEquals(OperationFailedReason.INVALID, failure.reason());
        assertTrue(failure.getMessage().startsWith(expected), failure.getMessage());
    }

    private void assertEvent(String topic, String key, String op) throws InterruptedException {
        Event event = received.poll(RunningFramework.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(event, "no event on " + topic);
        assertEquals(topic, event.getTopic());
        assertEquals(key, event.getProperty("baob.key"));
        assertEquals(op, event.getProperty("sysctl.op"));
        assertTrue(event.getProperty(EventConstants.TIMESTAMP) instanceof Long);
    }
}
