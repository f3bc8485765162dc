package dev.pathpoint.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.value.PathpointValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;

/**
 * Producers that keep queuing FORCE writes and reads while a test swaps the driver under them: each
 * writes an increasing sequence to its own register and reads it back in the same section, with a
 * bounded number of sections outstanding. Afterwards every section must have succeeded, each read
 * must see the write queued just before it, and the device must hold every producer's last write.
 */
final class ProducerLoad implements AutoCloseable {
    static final int OUTSTANDING_PER_PRODUCER = 16;

    private final OrderExecutor executor;
    private final int unit;
    private final int producers;
    private final ExecutorService threads;
    private final AtomicBoolean producing = new AtomicBoolean(true);
    private final AtomicLong completed = new AtomicLong();
    private final List<List<Section>> sectionsByProducer = new ArrayList<>();
    private final long[] lastValueByProducer;
    private final List<Future<?>> running = new ArrayList<>();
    private final CountDownLatch servedAfterSwap = new CountDownLatch(1);
    private volatile long swappedAt;
    private volatile long firstServedAfterSwap;

    ProducerLoad(OrderExecutor executor, int unit, int producers) {
        this.executor = executor;
        this.unit = unit;
        this.producers = producers;
        this.threads = Executors.newFixedThreadPool(producers);
        this.lastValueByProducer = new long[producers];
        for (int p = 0; p < producers; p++) {
            sectionsByProducer.add(Collections.synchronizedList(new ArrayList<>()));
        }
    }

    void start() {
        for (int p = 0; p < producers; p++) {
            int producer = p;
            running.add(threads.submit(() -> {
                Semaphore outstanding = new Semaphore(OUTSTANDING_PER_PRODUCER);
                String pathpoint = "W" + unit + "r" + producer;
                for (long sequence = 1; producing.get(); sequence++) {
                    outstanding.acquire();
                    Section section = new Section(List.of(
                            new WriteOrder(pathpoint, PathpointValue.of(sequence), AdviseLevel.FORCE),
                            new ReadOrder(pathpoint, AdviseLevel.FORCE)));
                    sectionsByProducer.get(producer).add(section);
                    lastValueByProducer[producer] = sequence;
                    section.future().whenComplete((result, failure) -> {
                        outstanding.release();
                        completed.incrementAndGet();
                        if (swappedAt != 0 && firstServedAfterSwap == 0 && result != null && result.succeeded()) {
                            firstServedAfterSwap = System.nanoTime();
                            servedAfterSwap.countDown();
                        }
                    });
                    executor.execute(section);
                }
                return null;
            }));
        }
    }

    long completed() {
        return completed.get();
    }

    void awaitCompleted(long count) {
        Await.until(count + " completed sections", Duration.ofSeconds(60), () -> completed.get() >= count);
    }

    /** Marks the moment the driver swap begins; {@link #awaitServedAfterSwap} then waits for the first success. */
    void swapping() {
        swappedAt = System.nanoTime();
    }

    /** @return milliseconds from {@link #swapping} to the first section served after it */
    double awaitServedAfterSwap() throws InterruptedException {
        assertTrue("an order was served after the swap", servedAfterSwap.await(60, TimeUnit.SECONDS));
        return (firstServedAfterSwap - swappedAt) / 1e6;
    }

    void stop() throws Exception {
        producing.set(false);
        for (Future<?> producer : running) {
            producer.get(60, TimeUnit.SECONDS);
        }
    }

    /** Every section succeeded, reads saw the writes before them, the device holds each last write. */
    void assertEverythingSucceededInOrder(IntUnaryOperator deviceRegister) throws Exception {
        for (int p = 0; p < producers; p++) {
            List<Section> sections = sectionsByProducer.get(p);
            long sequence = 0;
            for (Section section : sections) {
                SectionResult result = section.future().get(Sections.RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                sequence++;
                assertTrue("producer " + p + " section " + sequence + ": " + result, result.succeeded());
                PathpointValue read = ((OrderOutcome.Done) result.outcome(1)).value().orElseThrow();
                assertEquals("producer " + p + " read after write " + sequence, PathpointValue.of(sequence), read);
            }
            assertEquals("producer " + p + " issued every section", lastValueByProducer[p], sequence);
            assertEquals("the device holds producer " + p + "'s last write", lastValueByProducer[p],
                    deviceRegister.applyAsInt(p));
        }
        System.out.printf("%d sections, all succeeded%n", completed.get());
    }

    @Override
    public void close() {
        producing.set(false);
        threads.shutdownNow();
    }
}
