package dev.pathpoint.api.remote;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.section.Section;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The {@link OrderExecutor} of a remote gateway. {@link #execute} sends each section to the gateway
 * through the broker; its future completes with the result the gateway reports, exactly once, even
 * when the broker delivers the gateway's result twice or the gateway restarts in the middle (its
 * journal still has the section). Sections for a gateway that is not online wait for it, for a
 * bounded time, and then fail {@code TIMEOUT} with the reason.
 *
 * <p>Cancelling: while a section waits here, not yet sent (the gateway is offline),
 * {@link Section#cancel()} cancels it as on a local executor. Once it is sent it counts as started
 * here, so {@code Section.cancel()} changes nothing; {@link #cancel(Section)} then asks the gateway to
 * cancel it if the gateway has not started it yet.
 */
@ProviderType
public interface RemoteExecutor extends OrderExecutor {

    /** The id of the gateway this executor sends to. */
    String gatewayId();

    /** Whether the gateway is online, as its retained status topic says. */
    GatewayPresence presence();

    /**
     * Cancels a section of this executor wherever it is: here if it has not been sent (as
     * {@link Section#cancel()}), else by asking the gateway, which cancels it only if it has not
     * started it.
     *
     * @return completes with true if the section was cancelled (its future is then cancelled, or
     *         completes with every order {@code CANCELLED}), with false if it ran or had finished
     *         (its future has, or will have, the real result); never fails
     */
    CompletableFuture<Boolean> cancel(Section section);
}
