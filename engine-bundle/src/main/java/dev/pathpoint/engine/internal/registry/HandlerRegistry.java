package dev.pathpoint.engine.internal.registry;

import dev.pathpoint.api.message.MessageHandler;
import dev.pathpoint.api.sysctl.SysctlHandler;
import org.osgi.framework.ServiceReference;

/** The sysctl and message handlers of the whiteboard; the best ranked one of each is used. Thread-safe. */
public final class HandlerRegistry {
    private final WhiteboardServices<SysctlHandler> sysctlHandlers;
    private final WhiteboardServices<MessageHandler> messageHandlers;

    public HandlerRegistry(WhiteboardServices<SysctlHandler> sysctlHandlers, WhiteboardServices<MessageHandler> messageHandlers) {
        this.sysctlHandlers = sysctlHandlers;
        this.messageHandlers = messageHandlers;
    }

    /** The best ranked handler naming the op type in its {@code sysctl.op} property, or null. */
    public SysctlHandler sysctlHandlerFor(String opType) {
        for (ServiceReference<SysctlHandler> reference : sysctlHandlers.bestFirst()) {
            if (ServiceProperties.strings(WhiteboardServices.properties(reference), SysctlHandler.OP).contains(opType)) {
                SysctlHandler handler = sysctlHandlers.service(reference);
                if (handler != null) {
                    return handler;
                }
            }
        }
        return null;
    }

    /** The best ranked message handler, or null. */
    public MessageHandler messageHandler() {
        for (ServiceReference<MessageHandler> reference : messageHandlers.bestFirst()) {
            MessageHandler handler = messageHandlers.service(reference);
            if (handler != null) {
                return handler;
            }
        }
        return null;
    }
}
