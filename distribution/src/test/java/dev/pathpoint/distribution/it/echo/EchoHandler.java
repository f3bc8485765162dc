package dev.pathpoint.distribution.it.echo;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.sysctl.SysctlHandler;

/** The sysctl op {@code echo}: answers its arguments. Packaged by the test into a bundle of its own. */
public class EchoHandler implements SysctlHandler {
    @Override
    public String execute(String opType, String opArgs) throws OperationFailedException {
        if (opArgs.isBlank()) {
            throw new OperationFailedException(OperationFailedReason.INVALID, "echo needs something to echo");
        }
        return opArgs;
    }
}
