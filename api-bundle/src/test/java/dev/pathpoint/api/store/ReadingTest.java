package dev.pathpoint.api.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointValue;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReadingTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(1);

    @Test
    void sameValueAtAnotherTimeIsNoChange() {
        assertTrue(new Reading.Success("W1r0", T0, PathpointValue.of(1)).sameContentAs(new Reading.Success("W1r0", T1, PathpointValue.of(1))));
    }

    @Test
    void otherValueOrFailureIsAChange() {
        Reading one = new Reading.Success("W1r0", T0, PathpointValue.of(1));
        assertFalse(one.sameContentAs(new Reading.Success("W1r0", T1, PathpointValue.of(2))));
        assertFalse(one.sameContentAs(new Reading.Failure("W1r0", T1, OperationFailedReason.TIMEOUT, "no answer")));
        assertFalse(new Reading.Failure("W1r0", T0, OperationFailedReason.TIMEOUT, "a")
                .sameContentAs(new Reading.Failure("W1r0", T1, OperationFailedReason.MALFORMED, "b")));
        assertTrue(new Reading.Failure("W1r0", T0, OperationFailedReason.TIMEOUT, "a")
                .sameContentAs(new Reading.Failure("W1r0", T1, OperationFailedReason.TIMEOUT, "b")));
    }
}
