package dev.pathpoint.sysctl.it;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.sysctl.SysctlHandler;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Plays the engine's part for sysctl orders: the highest-ranked {@link SysctlHandler} whose
 * {@code sysctl.op} names the op type carries it out; none means UNHANDLED.
 */
final class SysctlDispatcher implements AutoCloseable {

    private final ServiceTracker<SysctlHandler, SysctlHandler> handlers;

    SysctlDispatcher(BundleContext context) {
        handlers = new ServiceTracker<>(context, SysctlHandler.class, null);
        handlers.open();
    }

    String execute(String opType, String opArgs) throws OperationFailedException {
        Optional<ServiceReference<SysctlHandler>> best = handlerFor(opType);
        SysctlHandler handler = best.map(handlers::getService).orElse(null);
        if (handler == null) {
            throw new OperationFailedException(OperationFailedReason.UNHANDLED, "no handler for sysctl op " + opType);
        }
        return handler.execute(opType, opArgs);
    }

    Optional<ServiceReference<SysctlHandler>> handlerFor(String opType) {
        ServiceReference<SysctlHandler>[] references = handlers.getServiceReferences();
        if (references == null) {
            return Optional.empty();
        }
        // ServiceReference order: higher service.ranking first, then lower service.id.
        return Arrays.stream(references).filter(reference -> handles(reference, opType))
                .max(Comparator.naturalOrder());
    }

    private static boolean handles(ServiceReference<?> reference, String opType) {
        Object ops = reference.getProperty(SysctlHandler.OP);
        if (ops instanceof String single) {
            return single.equals(opType);
        }
        if (ops instanceof String[] many) {
            return Arrays.asList(many).contains(opType);
        }
        return false;
    }

    @Override
    public void close() {
        handlers.close();
    }
}
