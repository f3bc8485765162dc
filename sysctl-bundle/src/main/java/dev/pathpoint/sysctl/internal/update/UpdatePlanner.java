package dev.pathpoint.sysctl.internal.update;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Decides which installed bundles move to which newer version offered by a source. */
final class UpdatePlanner {

    private UpdatePlanner() {
    }

    /**
     * For every installed bundle (or only the one named), the newest candidate of the same symbolic
     * name whose version is higher than the installed one. When several bundles of one symbolic name
     * are installed, only the newest of them is updated: updating both to the same version would
     * clash. The system bundle (id 0) is never updated here.
     *
     * @param only a symbolic name, or empty for all
     * @throws IllegalArgumentException if {@code only} names no installed bundle
     */
    static List<BundleMove> plan(Collection<InstalledBundle> installed, List<BundleCandidate> candidates,
            Optional<String> only) {
        Map<String, InstalledBundle> newestInstalled = installed.stream()
                .filter(bundle -> bundle.id() != 0)
                .filter(bundle -> only.map(bundle.symbolicName()::equals).orElse(true))
                .collect(Collectors.toMap(InstalledBundle::symbolicName, bundle -> bundle,
                        (a, b) -> a.version().compareTo(b.version()) >= 0 ? a : b));
        if (only.isPresent() && newestInstalled.isEmpty()) {
            throw new IllegalArgumentException("no installed bundle has the symbolic name " + only.get());
        }
        Map<String, BundleCandidate> newestOffered = candidates.stream()
                .collect(Collectors.toMap(BundleCandidate::symbolicName, candidate -> candidate,
                        (a, b) -> a.version().compareTo(b.version()) >= 0 ? a : b));
        List<BundleMove> moves = new ArrayList<>();
        for (InstalledBundle bundle : newestInstalled.values()) {
            BundleCandidate offered = newestOffered.get(bundle.symbolicName());
            if (offered != null && offered.version().compareTo(bundle.version()) > 0) {
                moves.add(new BundleMove(bundle, offered));
            }
        }
        moves.sort(Comparator.comparing((BundleMove move) -> move.installed().symbolicName()));
        return moves;
    }
}
