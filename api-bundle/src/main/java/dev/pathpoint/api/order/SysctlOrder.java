package dev.pathpoint.api.order;

/**
 * Run a system command ({@code update}, {@code reboot}, ...) through the handler registered for its
 * op type. Never retried: commands are not assumed to be idempotent.
 */
public final class SysctlOrder extends Order {
    private final String opType;
    private final String opArgs;

    /**
     * @param opArgs the command's arguments; may be empty, not null
     */
    public SysctlOrder(String opType, String opArgs) {
        super(1);
        this.opType = requireText(opType, "opType");
        this.opArgs = requireNonNull(opArgs, "opArgs");
    }

    public String opType() {
        return opType;
    }

    public String opArgs() {
        return opArgs;
    }

    @Override
    public String toString() {
        return "sysctl " + opType + (opArgs.isEmpty() ? "" : " " + opArgs);
    }
}
