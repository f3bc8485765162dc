package dev.pathpoint.sysctl.example;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.sysctl.SysctlHandler;
import org.osgi.service.component.annotations.Component;

/**
 * The example of the README: a whole sysctl handler bundle. The in-framework test builds a bundle of
 * this package alone with bnd and installs it into a running framework.
 */
@Component(property = SysctlHandler.OP + "=echo")
public class EchoHandler implements SysctlHandler {

    @Override
    public String execute(String opType, String opArgs) throws OperationFailedException {
        if (opArgs.isBlank()) {
            throw new OperationFailedException(OperationFailedReason.INVALID, "echo needs something to echo");
        }
        return opArgs;
    }
}
