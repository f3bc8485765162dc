package dev.pathpoint.mqtt.internal.central;

import dev.pathpoint.api.executor.ExecutorStatistics;
import dev.pathpoint.api.remote.GatewayPresence;
import dev.pathpoint.api.remote.RemoteExecutor;
import dev.pathpoint.api.section.Section;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The executor of one remote gateway: a view of {@link RemoteSections} for its id. */
final class GatewayExecutor implements RemoteExecutor {
    private final String gatewayId;
    private final RemoteSections sections;

    GatewayExecutor(String gatewayId, RemoteSections sections) {
        this.gatewayId = gatewayId;
        this.sections = sections;
    }

    @Override
    public void execute(Section... toRun) {
        sections.execute(gatewayId, Arrays.asList(toRun));
    }

    @Override
    public void execute(List<Section> toRun) {
        sections.execute(gatewayId, toRun);
    }

    @Override
    public ExecutorStatistics statistics() {
        return sections.statistics(gatewayId);
    }

    @Override
    public String gatewayId() {
        return gatewayId;
    }

    @Override
    public GatewayPresence presence() {
        return sections.presence(gatewayId);
    }

    @Override
    public CompletableFuture<Boolean> cancel(Section section) {
        return sections.cancel(section);
    }

    @Override
    public String toString() {
        return "remote executor of gateway " + gatewayId;
    }
}
