package dev.pathpoint.modbus.internal.link;

import dev.pathpoint.api.failure.OperationFailedReason;

/** The device answered with a Modbus exception response. */
public final class DeviceException extends Exception {
    private static final long serialVersionUID = 1L;

    public static final int ILLEGAL_FUNCTION = 0x01;
    public static final int ILLEGAL_DATA_ADDRESS = 0x02;
    public static final int ILLEGAL_DATA_VALUE = 0x03;
    public static final int SERVER_DEVICE_FAILURE = 0x04;
    public static final int ACKNOWLEDGE = 0x05;
    public static final int SERVER_DEVICE_BUSY = 0x06;
    public static final int GATEWAY_PATH_UNAVAILABLE = 0x0A;
    public static final int GATEWAY_TARGET_NO_RESPONSE = 0x0B;

    private final int code;

    public DeviceException(int functionCode, int code) {
        super("device answered FC" + functionCode + " with exception " + String.format("%02X", code) + " (" + describe(code) + ")");
        this.code = code;
    }

    public int code() {
        return code;
    }

    /**
     * The failure reason for an exception code: 01/02/03 say the request is wrong (INVALID); 04, 05,
     * 06, 0A and 0B are transient device or gateway states (TIMEOUT, retried by the engine); any
     * other code is not Modbus (MALFORMED).
     */
    public OperationFailedReason reason() {
        return switch (code) {
            case ILLEGAL_FUNCTION, ILLEGAL_DATA_ADDRESS, ILLEGAL_DATA_VALUE -> OperationFailedReason.INVALID;
            case SERVER_DEVICE_FAILURE, ACKNOWLEDGE, SERVER_DEVICE_BUSY, GATEWAY_PATH_UNAVAILABLE,
                    GATEWAY_TARGET_NO_RESPONSE -> OperationFailedReason.TIMEOUT;
            default -> OperationFailedReason.MALFORMED;
        };
    }

    public static String describe(int code) {
        return switch (code) {
            case ILLEGAL_FUNCTION -> "illegal function";
            case ILLEGAL_DATA_ADDRESS -> "illegal data address";
            case ILLEGAL_DATA_VALUE -> "illegal data value";
            case SERVER_DEVICE_FAILURE -> "server device failure";
            case ACKNOWLEDGE -> "acknowledge, still processing";
            case SERVER_DEVICE_BUSY -> "server device busy";
            case GATEWAY_PATH_UNAVAILABLE -> "gateway path unavailable";
            case GATEWAY_TARGET_NO_RESPONSE -> "gateway target device failed to respond";
            default -> "unknown exception code";
        };
    }
}
