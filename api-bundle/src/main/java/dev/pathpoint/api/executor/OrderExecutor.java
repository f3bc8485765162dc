package dev.pathpoint.api.executor;

import dev.pathpoint.api.section.Section;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Queues sections and runs them: consecutive joinable sections together, a cannot-join section
 * alone. Read and write orders go to {@code PathpointDriver} services, sysctl orders to
 * {@code SysctlHandler} services, message orders to {@code MessageHandler} services.
 *
 * <pre>{@code
 * Section section = Section.of(new ReadOrder("W1r0", AdviseLevel.FORCE));
 * executor.execute(section);
 * SectionResult result = section.future().get();
 * }</pre>
 */
@ProviderType
public interface OrderExecutor {

    /**
     * Queues sections, in the order given, after everything queued before. Never blocks on device
     * I/O. A section that cannot be queued (the queue is full, the executor is stopping) completes at
     * once with every order failed as {@code REJECTED} or {@code SHUTDOWN}.
     *
     * @throws IllegalArgumentException if a section has already been started, joined or queued
     */
    void execute(Section... sections);

    /** Same as {@link #execute(Section...)}. */
    default void execute(List<Section> sections) {
        execute(sections.toArray(Section[]::new));
    }

    /** A snapshot of what the executor is doing and has done. */
    ExecutorStatistics statistics();
}
