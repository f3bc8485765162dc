package dev.pathpoint.distribution;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The launcher's command line. */
record Options(Path home, Path config, Path storage, boolean temporaryStorage, Path exec, java.time.Duration execTimeout) {

    static final String USAGE = """
            usage: pathpoint [--config DIR] [--storage DIR] [--exec SECTIONS.json [--timeout SECONDS]]
              --config DIR   configuration files (*.cfg, *.config) for Config Admin; default HOME/conf
              --storage DIR  framework cache; default HOME/cache (a fresh temporary one with --exec)
              --exec FILE    execute the sections in FILE (JSON wire format), print one JSON result
                             per section on stdout, exit 0 if every order succeeded, 1 if not,
                             2 if they could not be run
              --timeout S    with --exec: give up (exit 2) after S seconds; default 600""";

    static Options parse(String[] args, Path home) {
        Path config = home.resolve("conf");
        Path storage = null;
        Path exec = null;
        long timeoutSeconds = 600;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--config" -> config = directory(arg, value(args, ++i, arg));
                case "--storage" -> storage = Paths.get(value(args, ++i, arg)).toAbsolutePath();
                case "--exec" -> exec = file(arg, value(args, ++i, arg));
                case "--timeout" -> timeoutSeconds = positive(arg, value(args, ++i, arg));
                case "-h", "--help" -> throw new IllegalArgumentException("help requested");
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        boolean temporary = storage == null && exec != null;
        if (storage == null) {
            storage = exec == null ? home.resolve("cache") : newTemporaryStorage();
        }
        return new Options(home, config, storage, temporary, exec, java.time.Duration.ofSeconds(timeoutSeconds));
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

    private static Path file(String option, String value) {
        Path path = Paths.get(value).toAbsolutePath();
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException(option + " " + value + ": not a readable file");
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
