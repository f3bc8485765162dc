package dev.pathpoint.console.internal.exit;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** {@code exit}: ends the runtime, as Ctrl-D and {@code stop 0} do. */
@Component(service = ExitCommand.class, property = {"osgi.command.scope=console", "osgi.command.function=exit"})
public final class ExitCommand {
    private final BundleContext context;

    @Activate
    public ExitCommand(BundleContext context) {
        this.context = context;
    }

    @Descriptor("stops the runtime (the OSGi framework) and ends the process; Ctrl-D and stop 0 do the same")
    public String exit() throws BundleException {
        // the framework stops on a thread of its own: the shell gets its answer first
        context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).stop();
        return "stopping the runtime";
    }
}
