package dev.pathpoint.sysctl.internal.baob;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.sysctl.SysctlHandler;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code baob-created|baob-updated|baob-deleted <key>}: posts an Event Admin event on
 * {@code <topic.prefix>/CREATED|UPDATED|DELETED} (default prefix {@code dev/pathpoint/baob}) with
 * the key in property {@value #KEY_PROPERTY}, so any bundle can react with an EventHandler.
 *
 * <p>Event Admin is an optional reference: without it the handler still answers, with a clear
 * failure, rather than vanishing and leaving the op types unhandled.
 */
@Component(name = BaobEventHandler.PID, service = SysctlHandler.class, property = {
    SysctlHandler.OP + "=baob-created", SysctlHandler.OP + "=baob-updated", SysctlHandler.OP + "=baob-deleted"})
@Designate(ocd = BaobEventHandler.Config.class)
public final class BaobEventHandler implements SysctlHandler {

    public static final String PID = "dev.pathpoint.sysctl.baob";
    /** Event property holding the BAOB key. */
    public static final String KEY_PROPERTY = "baob.key";
    /** Event property holding the op type that caused the event. */
    public static final String OP_PROPERTY = "sysctl.op";
    public static final String DEFAULT_TOPIC_PREFIX = "dev/pathpoint/baob";

    @ObjectClassDefinition(id = PID, name = "Pathpoint sysctl: BAOB events",
            description = "The Event Admin topics the baob-created, baob-updated and baob-deleted sysctls post to.")
    public @interface Config {
        @AttributeDefinition(name = "Topic prefix",
                description = "Events go to <prefix>/CREATED, <prefix>/UPDATED and <prefix>/DELETED.")
        String topic_prefix() default DEFAULT_TOPIC_PREFIX;

        @AttributeDefinition(name = "Maximum key length", min = "1",
                description = "Longer keys are refused.")
        int key_max_length() default 1024;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin eventAdmin;

    private volatile Config config;

    @Activate
    public BaobEventHandler(Config config) {
        this.config = config;
    }

    @Modified
    void modified(Config config) {
        this.config = config;
    }

    @Override
    public String execute(String opType, String opArgs) throws OperationFailedException {
        BaobChange change = BaobChange.ofOpType(opType).orElseThrow(() -> invalid(
                "this handler takes baob-created, baob-updated and baob-deleted, not '" + opType + "'"));
        Config current = config;
        String prefix = current.topic_prefix() == null ? "" : current.topic_prefix().strip();
        if (!BaobKeys.isValidTopicPrefix(prefix)) {
            throw invalid(opType + " is misconfigured: topic.prefix '" + prefix + "' in " + PID
                    + " is not a valid Event Admin topic (tokens of letters, digits, _ and - separated by /)");
        }
        if (current.key_max_length() < 1) {
            throw invalid(opType + " is misconfigured: key.max.length is " + current.key_max_length() + " in " + PID);
        }
        String problem = BaobKeys.problemWith(opType, opArgs, current.key_max_length());
        if (problem != null) {
            throw invalid(problem);
        }
        EventAdmin admin = eventAdmin;
        if (admin == null) {
            throw new OperationFailedException(OperationFailedReason.ERROR,
                    "no Event Admin service is running: " + opType + " " + opArgs + " was not posted");
        }
        String topic = prefix + "/" + change.name();
        admin.postEvent(new Event(topic, Map.of(KEY_PROPERTY, opArgs, OP_PROPERTY, opType,
                EventConstants.TIMESTAMP, System.currentTimeMillis())));
        return "posted " + topic + " " + KEY_PROPERTY + "=" + opArgs;
    }

    private static OperationFailedException invalid(String message) {
        return new OperationFailedException(OperationFailedReason.INVALID, message);
    }
}
