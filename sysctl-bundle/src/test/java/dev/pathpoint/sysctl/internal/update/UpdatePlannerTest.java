package dev.pathpoint.sysctl.internal.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Version;

class UpdatePlannerTest {

    private static final List<InstalledBundle> INSTALLED = List.of(
            new InstalledBundle(0, "org.apache.felix.framework", Version.parseVersion("7.0.5")),
            new InstalledBundle(1, "com.acme.a", Version.parseVersion("1.0.0")),
            new InstalledBundle(2, "com.acme.b", Version.parseVersion("2.0.0.202601010000")),
            new InstalledBundle(3, "com.acme.c", Version.parseVersion("1.0.0")));

    @Test
    void movesEachBundleToTheNewestHigherVersion() {
        List<BundleMove> moves = UpdatePlanner.plan(INSTALLED, List.of(
                candidate("com.acme.a", "1.1.0"), candidate("com.acme.a", "1.2.0"), candidate("com.acme.a", "0.9.0"),
                candidate("com.acme.b", "2.0.0.202601020000"),
                candidate("com.acme.c", "1.0.0"),
                candidate("com.acme.notinstalled", "9.0.0"),
                candidate("org.apache.felix.framework", "7.0.6")), Optional.empty());
        assertEquals(List.of("com.acme.a 1.0.0 -> 1.2.0", "com.acme.b 2.0.0.202601010000 -> 2.0.0.202601020000"),
                moves.stream().map(BundleMove::describe).toList());
    }

    @Test
    void restrictsToTheNamedBundle() {
        List<BundleMove> moves = UpdatePlanner.plan(INSTALLED,
                List.of(candidate("com.acme.a", "1.1.0"), candidate("com.acme.b", "3.0.0")), Optional.of("com.acme.b"));
        assertEquals(List.of("com.acme.b 2.0.0.202601010000 -> 3.0.0"), moves.stream().map(BundleMove::describe).toList());
    }

    @Test
    void namedBundleThatIsNotInstalledIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UpdatePlanner.plan(INSTALLED, List.of(), Optional.of("com.acme.zzz")));
        assertEquals("no installed bundle has the symbolic name com.acme.zzz", e.getMessage());
    }

    @Test
    void nothingNewerMeansNoMoves() {
        assertEquals(List.of(), UpdatePlanner.plan(INSTALLED, List.of(candidate("com.acme.a", "1.0.0")), Optional.empty()));
    }

    @Test
    void onlyTheNewestOfSeveralInstalledVersionsMoves() {
        List<InstalledBundle> twice = List.of(new InstalledBundle(5, "com.acme.a", Version.parseVersion("1.0.0")),
                new InstalledBundle(6, "com.acme.a", Version.parseVersion("1.5.0")));
        List<BundleMove> moves = UpdatePlanner.plan(twice, List.of(candidate("com.acme.a", "2.0.0")), Optional.empty());
        assertEquals(1, moves.size());
        assertEquals(6, moves.get(0).installed().id());
    }

    private static BundleCandidate candidate(String symbolicName, String version) {
        return ResolutionCheckTest.candidate(symbolicName, version, Map.of());
    }
}
