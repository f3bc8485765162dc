package dev.pathpoint.api.remote;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The gateways a central system reaches through its broker: one {@link RemoteExecutor} per gateway.
 *
 * <pre>{@code
 * @Reference RemoteGateways gateways;
 *
 * OrderExecutor boiler = gateways.forGateway("gw-0042");
 * Section section = Section.of(new ReadOrder("W1r0", AdviseLevel.FORCE));
 * boiler.execute(section);
 * SectionResult result = section.future().get();   // what gateway gw-0042 reported, order by order
 * }</pre>
 *
 * <p>A gateway named in the configuration is also registered as an {@code OrderExecutor} (and
 * {@link RemoteExecutor}) service of its own, with the service property {@value #GATEWAY_ID} holding
 * its id and a negative {@code service.ranking}, so that a plain {@code @Reference OrderExecutor}
 * still gets the local engine where there is one; select a gateway with a target filter such as
 * {@code (pathpoint.gateway=gw-0042)}.
 */
@ProviderType
public interface RemoteGateways {
    /** Service property of a remote gateway's executor service: the gateway id. */
    String GATEWAY_ID = "pathpoint.gateway";

    /**
     * The executor of a gateway; the same one on every call with the same id.
     *
     * @throws IllegalArgumentException if the id cannot be a gateway id (a topic level: letters,
     *         digits, {@code -}, {@code _} and {@code .}, 1 to 128 of them)
     */
    RemoteExecutor forGateway(String gatewayId);
}
