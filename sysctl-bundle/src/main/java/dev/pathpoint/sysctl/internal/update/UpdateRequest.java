package dev.pathpoint.sysctl.internal.update;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an {@code update} order asks, from its {@code op_args}: {@code [--dry-run] [symbolic-name]}.
 * Nothing in them is a URL or a path: sources come from configuration only.
 */
record UpdateRequest(boolean dryRun, Optional<String> only) {

    static final String DRY_RUN = "--dry-run";
    private static final Pattern SYMBOLIC_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    /** @throws IllegalArgumentException saying what is wrong with the arguments */
    static UpdateRequest parse(String opArgs) {
        String args = opArgs == null ? "" : opArgs.strip();
        boolean dryRun = false;
        Optional<String> only = Optional.empty();
        for (String word : args.isEmpty() ? new String[0] : args.split("\\s+")) {
            if (word.equals(DRY_RUN) && !dryRun) {
                dryRun = true;
            } else if (only.isEmpty() && SYMBOLIC_NAME.matcher(word).matches()) {
                only = Optional.of(word);
            } else {
                throw new IllegalArgumentException("update takes one bundle symbolic name (e.g. dev.pathpoint.modbus) "
                        + "or nothing for all bundles; got '" + opArgs + "'; add " + DRY_RUN
                        + " to list what would move without moving it");
            }
        }
        return new UpdateRequest(dryRun, only);
    }
}
