package dev.pathpoint.distribution;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The launcher's command line.
 *
 * @param exec the sections file of a non-interactive run, {@link #STDIN} for standard input, or null
 * @param help whether {@code --help} was asked for (nothing else is then done)
 */
record Options(Path home, Path config, Path storage, boolean temporaryStorage, Path exec, Duration execTimeout,
        boolean help) {

    /** {@code --exec -}: the sections come from standard input. */
    static final Path STDIN = Paths.get("-");
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);

    static final String USAGE = """
            usage: pathpoint [--config DIR] [--storage DIR] [--exec SECTIONS.json|- [--timeout SECONDS]]
              --config DIR   configuration files (*.cfg, *.config) for Config Admin; default HOME/conf
              --storage DIR  framework cache; default HOME/cache (a fresh temporary one with --exec)
              --exec FILE    execute the sections in FILE (JSON wire format; - reads standard input),
                             print one JSON result per section on stdout and exit
              --timeout S    with --exec: give up after S seconds; default 600
              --help         print this help and exit
            Without --exec: the runtime with a console on a terminal, without one otherwise (a service).
            Exit status: 0 every order succeeded (or the console was left with exit/stop 0),
              1 an order did not succeed, 2 the sections could not be run (bad document, timeout),
              64 bad command line, 75 restart requested (reboot sysctl), 143 stopped by SIGTERM,
              130 by SIGINT (the framework is stopped cleanly first).""";

    static Options parse(String[] args, Path home) {
        Path config = home.resolve("conf");
        Path storage = null;
        Path exec = null;
        Long timeoutSeconds = null;
        // help wins over everything else on the line
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            return new Options(home, config, home.resolve("cache"), false, null, DEFAULT_TIMEOUT, true);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--") && !seen.add(arg)) {
                throw new IllegalArgumentException(arg + " is given twice");
            }
            switch (arg) {
                case "--config" -> config = directory(arg, value(args, ++i, arg));
                case "--storage" -> storage = Paths.get(value(args, ++i, arg)).toAbsolutePath();
                case "--exec" -> exec = sections(arg, value(args, ++i, arg));
                case "--timeout" -> timeoutSeconds = positive(arg, value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        if (timeoutSeconds != null && exec == null) {
            throw new IllegalArgumentException("--timeout applies to --exec runs only");
        }
        boolean temporary = storage == null && exec != null;
        if (storage == null) {
            storage = exec == null ? home.resolve("cache") : newTemporaryStorage();
        }
        Duration timeout = timeoutSeconds == null ? DEFAULT_TIMEOUT : Duration.ofSeconds(timeoutSeconds);
        return new Options(home, config, storage, temporary, exec, timeout, false);
    }

    /** Whether the sections come from standard input. */
    boolean execFromStdin() {
        return STDIN.equals(exec);
    }

    private static long positive(String option, String value) {
        try {
            long number = Long.parseLong(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " " + value + ": expected a whole number of seconds above 0");
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static Path directory(String option, String value) {
        Path path = Paths.get(value).toAbsolutePath();
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(option + " " + value + ": not a directory");
        }
        return path;
    }

    private static Path sections(String option, String value) {
        if (value.equals("-")) {
            return STDIN;
        }
        Path path = Paths.get(value).toAbsolutePath();
        // pipes and devices (/dev/stdin, <(...)) are files too
        if (Files.isDirectory(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException(option + " " + value + ": not a readable file (- reads standard input)");
        }
        return path;
    }

    private static Path newTemporaryStorage() {
        try {
            return Files.createTempDirectory("pathpoint-exec");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create a temporary framework cache", e);
        }
    }
}
