package dev.pathpoint.web.internal.stats;

import dev.pathpoint.api.executor.ExecutorStatistics;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The executor's statistics sampled at a fixed interval, the last {@code capacity} samples: what the
 * dashboard plots. The executor reports its mean latency since it started; the plot's per-interval
 * figure is the orders completed per second between two samples.
 */
public final class StatisticsHistory {
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private int capacity;

    /**
     * @param ordersPerSecond orders completed per second since the previous sample (0 for the first)
     */
    public record Sample(Instant time, int queuedSections, int runningSections, long ordersCompleted, long retries,
            double meanLatencyMillis, double maxLatencyMillis, double ordersPerSecond) {
    }

    public StatisticsHistory(int capacity) {
        this.capacity = capacity;
    }

    public synchronized void capacity(int capacity) {
        this.capacity = capacity;
        trim();
    }

    public synchronized void add(Instant time, ExecutorStatistics statistics) {
        Sample last = samples.peekLast();
        double rate = 0;
        if (last != null) {
            double seconds = (time.toEpochMilli() - last.time().toEpochMilli()) / 1000.0;
            long completed = statistics.ordersCompleted() - last.ordersCompleted();
            rate = seconds > 0 && completed >= 0 ? completed / seconds : 0;
        }
        samples.addLast(new Sample(time, statistics.queuedSections(), statistics.runningSections(),
                statistics.ordersCompleted(), statistics.retries(), statistics.meanLatency().toNanos() / 1e6,
                statistics.maxLatency().toNanos() / 1e6, rate));
        trim();
    }

    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    private void trim() {
        while (samples.size() > capacity) {
            samples.removeFirst();
        }
    }
}
