package dev.pathpoint.engine.internal.registry;

import dev.pathpoint.api.message.MessageHandler;
import dev.pathpoint.api.sysctl.SysctlHandler;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The sysctl and message handlers registered through the whiteboard. Thread-safe. */
public final class HandlerRegistry {

    /** A sysctl handler and the op types its {@code sysctl.op} property names. */
    public record SysctlEntry(SysctlHandler service, Set<String> opTypes, int ranking, long serviceId)
            implements RankedServices.Entry<SysctlHandler> {
        static SysctlEntry of(SysctlHandler handler, Map<String, ?> properties) {
            return new SysctlEntry(handler, Set.copyOf(ServiceProperties.strings(properties, SysctlHandler.OP)),
                    ServiceProperties.ranking(properties), ServiceProperties.serviceId(properties));
        }
    }

    /** A message handler. */
    public record MessageEntry(MessageHandler service, int ranking, long serviceId)
            implements RankedServices.Entry<MessageHandler> {
        static MessageEntry of(MessageHandler handler, Map<String, ?> properties) {
            return new MessageEntry(handler, ServiceProperties.ranking(properties), ServiceProperties.serviceId(properties));
        }
    }

    private final RankedServices<SysctlHandler, SysctlEntry> sysctlHandlers = new RankedServices<>(SysctlEntry::of);
    private final RankedServices<MessageHandler, MessageEntry> messageHandlers = new RankedServices<>(MessageEntry::of);

    public RankedServices<SysctlHandler, SysctlEntry> sysctlHandlers() {
        return sysctlHandlers;
    }

    public RankedServices<MessageHandler, MessageEntry> messageHandlers() {
        return messageHandlers;
    }

    /** The best handler naming the op type, or null. */
    public SysctlHandler sysctlHandlerFor(String opType) {
        for (SysctlEntry entry : sysctlHandlers.entries()) {
            if (entry.opTypes().contains(opType)) {
                return entry.service();
            }
        }
        return null;
    }

    /** The best message handler, or null. */
    public MessageHandler messageHandler() {
        List<MessageEntry> entries = messageHandlers.entries();
        return entries.isEmpty() ? null : entries.get(0).service();
    }
}
