package dev.pathpoint.sysctl.internal.baob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BaobKeysTest {

    @Test
    void acceptsASingleWord() {
        assertNull(BaobKeys.problemWith("baob-created", "firmware/v2.bin", 100));
        assertNull(BaobKeys.problemWith("baob-created", "zażółć-1", 100));
    }

    @Test
    void refusesEmptyBlankPaddedLongAndControlCharacters() {
        assertEquals("baob-created needs the BAOB key as its argument; got nothing",
                BaobKeys.problemWith("baob-created", "", 10));
        assertEquals("baob-updated needs the BAOB key as its argument; got only blanks",
                BaobKeys.problemWith("baob-updated", "  ", 10));
        assertEquals("baob-deleted key ' k' has leading or trailing blanks",
                BaobKeys.problemWith("baob-deleted", " k", 10));
        assertEquals("baob-created key is 11 characters long; at most 10 are allowed",
                BaobKeys.problemWith("baob-created", "abcdefghijk", 10));
        assertEquals("baob-created key 'a b' holds a blank or control character at position 1; a key is a single word",
                BaobKeys.problemWith("baob-created", "a b", 10));
        assertTrue(BaobKeys.problemWith("baob-created", "a\u0001b", 10).contains("'a\\u0001b'"));
    }

    @Test
    void validatesTopicPrefixes() {
        assertTrue(BaobKeys.isValidTopicPrefix("dev/pathpoint/baob"));
        assertTrue(BaobKeys.isValidTopicPrefix("x"));
        assertFalse(BaobKeys.isValidTopicPrefix("dev/pathpoint/"));
        assertFalse(BaobKeys.isValidTopicPrefix("/dev"));
        assertFalse(BaobKeys.isValidTopicPrefix("dev//x"));
        assertFalse(BaobKeys.isValidTopicPrefix("dev/*"));
        assertFalse(BaobKeys.isValidTopicPrefix(""));
    }
}
