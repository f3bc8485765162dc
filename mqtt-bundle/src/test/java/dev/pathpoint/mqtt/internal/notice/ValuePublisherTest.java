package dev.pathpoint.mqtt.internal.notice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Pathpoint names become one topic level. */
class ValuePublisherTest {
    @Test
    void wildcardsSlashesAndPercentAreEncoded() {
        assertEquals("W1r0", ValuePublisher.topicLevel("W1r0"));
        assertEquals("u1r7%238", ValuePublisher.topicLevel("u1r7#8"));
        assertEquals("f1r100@CDAB", ValuePublisher.topicLevel("f1r100@CDAB"));
        assertEquals("a%2Fb%2Bc%25", ValuePublisher.topicLevel("a/b+c%"));
        assertEquals("x%0Ay", ValuePublisher.topicLevel("x\ny"));
    }
}
