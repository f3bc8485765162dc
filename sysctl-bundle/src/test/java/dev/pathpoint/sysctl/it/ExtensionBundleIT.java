package dev.pathpoint.sysctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A new bundle extends the runtime: the example {@code echo} handler, built with bnd from
 * {@code dev.pathpoint.sysctl.example}, serves the very next order once started, and the op is
 * unhandled again once it is uninstalled. Also checks the sysctl bundle's own wiring and metatype.
 */
class ExtensionBundleIT {

    @TempDir
    Path temp;

    private RunningFramework running;

    @BeforeEach
    void startFramework() throws Exception {
        running = RunningFramework.start(temp.resolve("storage"));
    }

    @AfterEach
    void stopFramework() throws Exception {
        running.close();
    }

    @Test
    void exampleHandlerBundleIsUsedAtOnceAndLeavesCleanly() throws Exception {
        assertUnhandled("echo");
        Path jar = buildEchoBundle(temp.resolve("echo.jar"));

        Bundle echo = running.context().installBundle(jar.toUri().toString());
        echo.start();
        assertEquals("hello", running.dispatcher().execute("echo", "hello"));
        OperationFailedException failure = assertThrows(OperationFailedException.class,
                () -> running.dispatcher().execute("echo", ""));
        assertEquals(OperationFailedReason.INVALID, failure.reason());
        assertEquals("echo needs something to echo", failure.getMessage());

        echo.uninstall();
        assertUnhandled("echo");
        assertEquals("posted dev/pathpoint/baob/CREATED baob.key=k", running.dispatcher().execute("baob-created", "k"));
    }

    @Test
    void sysctlBundleExportsNothingAndDescribesItsConfiguration() throws Exception {
        Bundle sysctl = running.bundle("dev.pathpoint.sysctl");
        assertNull(sysctl.getHeaders().get("Export-Package"));
        // Handlers see the API the test (the engine stand-in) sees.
        BundleWiring wiring = sysctl.adapt(BundleWiring.class);
        assertTrue(wiring.getRequiredWires("osgi.wiring.package").stream()
                .filter(wire -> "dev.pathpoint.api.sysctl".equals(wire.getCapability().getAttributes()
                        .get("osgi.wiring.package")))
                .allMatch(wire -> wire.getProvider().getBundle().getBundleId() == 0));

        ServiceTracker<MetaTypeService, MetaTypeService> metatypeTracker =
                new ServiceTracker<>(running.context(), MetaTypeService.class, null);
        metatypeTracker.open();
        try {
            MetaTypeService metatype = metatypeTracker.waitForService(RunningFramework.TIMEOUT.toMillis());
            MetaTypeInformation information = metatype.getMetaTypeInformation(sysctl);
            assertEquals(Set.of("dev.pathpoint.sysctl.update", "dev.pathpoint.sysctl.reboot",
                    "dev.pathpoint.sysctl.baob"), Set.of(information.getPids()));
            ObjectClassDefinition reboot = information.getObjectClassDefinition("dev.pathpoint.sysctl.reboot", null);
            assertEquals(Set.of("mode", "command", "command.timeout.seconds", "framework.restart.delay.millis"),
                    Stream.of(reboot.getAttributeDefinitions(ObjectClassDefinition.ALL))
                            .map(AttributeDefinition::getID).collect(Collectors.toSet()));
        } finally {
            metatypeTracker.close();
        }
    }

    private void assertUnhandled(String op) {
        OperationFailedException failure = assertThrows(OperationFailedException.class,
                () -> running.dispatcher().execute(op, "hello"));
        assertEquals(OperationFailedReason.UNHANDLED, failure.reason());
    }

    /** Builds the example bundle the way a user's bnd-maven-plugin build would: DS XML from the annotations. */
    private static Path buildEchoBundle(Path target) throws Exception {
        File apiJar;
        try (Stream<Path> files = Files.list(RunningFramework.TEST_BUNDLES)) {
            apiJar = files.filter(f -> f.getFileName().toString().startsWith("dev.pathpoint.api-")).findFirst()
                    .orElseThrow().toFile();
        }
        try (Builder builder = new Builder()) {
            builder.setProperty("Bundle-SymbolicName", "dev.pathpoint.sysctl.example.echo");
            builder.setProperty("Bundle-Version", "1.0.0");
            builder.setProperty("Private-Package", "dev.pathpoint.sysctl.example");
            builder.setProperty("-dsannotations", "*");
            builder.addClasspath(RunningFramework.TEST_CLASSES.toFile());
            builder.addClasspath(apiJar);
            Jar jar = builder.build();
            assertEquals(List.of(), builder.getErrors(), "bnd errors");
            jar.write(target.toFile());
        }
        try (JarFile jar = new JarFile(target.toFile())) {
            assertTrue(jar.getManifest().getMainAttributes().getValue("Service-Component") != null,
                    "bnd generated the component description");
        }
        return target;
    }
}
