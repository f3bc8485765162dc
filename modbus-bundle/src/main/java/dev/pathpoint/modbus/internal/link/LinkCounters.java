package dev.pathpoint.modbus.internal.link;

import java.util.concurrent.atomic.AtomicLong;

/** What the links of one connection count as they go; read from any thread. */
public final class LinkCounters {
    private final AtomicLong staleFrames = new AtomicLong();

    /** An answer to a request that was no longer waited for (late, or never sent): dropped, link kept. */
    public void staleFrame() {
        staleFrames.incrementAndGet();
    }

    public long staleFrames() {
        return staleFrames.get();
    }
}
