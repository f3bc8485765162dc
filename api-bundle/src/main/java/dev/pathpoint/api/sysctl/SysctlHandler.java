package dev.pathpoint.api.sysctl;

import dev.pathpoint.api.failure.OperationFailedException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Carries out sysctl orders of the op types named by its {@link #OP} service property. A bundle that
 * registers one extends the runtime at once; the highest-ranked handler for an op type is used.
 */
@ConsumerType
public interface SysctlHandler {

    /** Service property (required): the op type or op types (String or String[]) this handler takes. */
    String OP = "sysctl.op";

    /**
     * Carries out a command. Called on an executor thread reserved for handlers; may take time.
     *
     * @return a short report of what was done (may be empty)
     * @throws OperationFailedException if the command failed or its arguments are wrong; the reason
     *         and message go into the order's outcome
     */
    String execute(String opType, String opArgs) throws OperationFailedException;
}
