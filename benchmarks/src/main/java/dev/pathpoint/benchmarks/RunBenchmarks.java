package dev.pathpoint.benchmarks;

import dev.pathpoint.testing.PymodbusServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The benchmark jar's entry point: runs JMH exactly as {@code org.openjdk.jmh.Main} would (same
 * command-line options; with none, every benchmark with the fork, warmup and measurement settings
 * annotated on its class), skips the pymodbus parameter with a note when /usr/bin/python3 has no
 * pymodbus, then prints the comparisons as markdown tables with their ratios and goals.
 */
public final class RunBenchmarks {
    /** Options that only list or explain: handed to JMH's own main unchanged. */
    private static final Set<String> INFORMATIONAL = Set.of("-h", "-l", "-lp", "-lprof", "-lrf", "-v");

    private RunBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        for (String arg : args) {
            if (INFORMATIONAL.contains(arg)) {
                org.openjdk.jmh.Main.main(args);
                return;
            }
        }
        CommandLineOptions commandLine = new CommandLineOptions(args);
        ChainedOptionsBuilder options = new OptionsBuilder().parent(commandLine);
        boolean serverGiven = commandLine.getParameter("server").hasValue();
        String noPymodbus = serverGiven ? null : PymodbusServer.unavailable();
        if (noPymodbus != null) {
            System.out.println("NOTE: " + noPymodbus);
            System.out.println("NOTE: ReadPlanningBenchmark runs against the embedded simulator only (no pymodbus).");
            options.param("server", "simulator");
        }
        String loadBefore = loadAverage();
        Collection<RunResult> results = new Runner(options.build()).run();
        new Report(new ArrayList<>(results)).print(System.out);
        System.out.printf("%nMachine: %d cores, %s, %s; Java %s (%s); load average before %s, after %s%n",
                Runtime.getRuntime().availableProcessors(), cpuModel(), memory(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), loadBefore, loadAverage());
    }

    private static String cpuModel() {
        return firstLine(Path.of("/proc/cpuinfo"), "model name", "unknown CPU").replaceFirst("^model name\\s*:\\s*", "");
    }

    private static String memory() {
        String total = firstLine(Path.of("/proc/meminfo"), "MemTotal", "");
        String kilobytes = total.replaceAll("[^0-9]", "");
        return kilobytes.isEmpty() ? "memory unknown" : (Long.parseLong(kilobytes) >> 20) + " GiB memory";
    }

    /** The 1, 5 and 15 minute load averages: other work on the machine makes the numbers noisy. */
    private static String loadAverage() {
        String line = firstLine(Path.of("/proc/loadavg"), "", "unknown");
        String[] parts = line.split(" ");
        return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : line;
    }

    private static String firstLine(Path file, String prefix, String otherwise) {
        try {
            return Files.readAllLines(file).stream().filter(line -> line.startsWith(prefix)).findFirst().orElse(otherwise);
        } catch (IOException e) {
            return otherwise;
        }
    }

    /** The comparisons, from JMH's results. */
    static final class Report {
        private final List<RunResult> results;

        Report(List<RunResult> results) {
            this.results = results;
        }

        private RunResult find(String benchmark, String param, String value) {
            for (RunResult result : results) {
                String name = result.getParams().getBenchmark();
                if (name.endsWith("." + benchmark)
                        && (param == null || value.equals(result.getParams().getParam(param)))) {
                    return result;
                }
            }
            return null;
        }

        /**
         * The median of the measurement iterations. This machine is shared and has 2 cores: a burst of
         * other work spoils an iteration or two, which moves the mean far more than the median. Ratios
         * and goals use the median; the tables show the mean ± 99.9% error as well.
         */
        private static double score(RunResult result) {
            List<Double> scores = new ArrayList<>();
            for (BenchmarkResult benchmark : result.getBenchmarkResults()) {
                for (IterationResult iteration : benchmark.getIterationResults()) {
                    scores.add(iteration.getPrimaryResult().getScore());
                }
            }
            if (scores.isEmpty()) {
                return result.getPrimaryResult().getScore();
            }
            scores.sort(null);
            int middle = scores.size() / 2;
            return scores.size() % 2 == 1 ? scores.get(middle) : (scores.get(middle - 1) + scores.get(middle)) / 2;
        }

        private static String scoreWithError(RunResult result) {
            Result<?> primary = result.getPrimaryResult();
            double error = primary.getScoreError();
            String mean = Double.isNaN(error) ? format(primary.getScore()) : format(primary.getScore()) + " ± " + format(error);
            return format(score(result)) + " (mean " + mean + ")";
        }

        private static double secondary(RunResult result, String name) {
            Result<?> counter = result.getSecondaryResults().get(name);
            return counter == null ? Double.NaN : counter.getScore();
        }

        /** A ratio of two aux counters (each the mean over iterations of its per-iteration sum), e.g. requests per read. */
        private static double per(RunResult result, String counter, String per) {
            return secondary(result, counter) / secondary(result, per);
        }

        private static String format(double value) {
            if (Double.isNaN(value)) {
                return "n/a";
            }
            double magnitude = Math.abs(value);
            String pattern = magnitude >= 100 ? "%,.0f" : magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3f";
            return String.format(Locale.ROOT, pattern, value);
        }

        private static String verdict(boolean met) {
            return met ? "**met**" : "**not met**";
        }

        void print(PrintStream out) {
            out.println();
            out.println("# Pathpoint benchmark comparisons");
            readPlanning(out, "simulator");
            readPlanning(out, "pymodbus");
            overhead(out);
            isolation(out);
            joining(out);
            reparse(out);
            memory(out);
            mqtt(out);
            http(out);
            idleLatency(out);
        }

        private static double percentile(RunResult result, double percentile) {
            return result.getPrimaryResult().getStatistics().getPercentile(percentile);
        }

        private void mqtt(PrintStream out) {
            RunResult link = find("MqttLinkBenchmark.linkRoundTrip", null, null);
            RunResult linkSynced = find("MqttLinkBenchmark.linkRoundTripResultsAfterSync", null, null);
            RunResult bare = find("MqttLinkBenchmark.bareRoundTrip", null, null);
            RunResult direct = find("MqttLinkBenchmark.directExecute", null, null);
            RunResult linkFlood = find("MqttLinkBenchmark.linkThroughput", null, null);
            RunResult bareFlood = find("MqttLinkBenchmark.bareThroughput", null, null);
            if (link == null || bare == null) {
                out.printf("%n## 6. MQTT link: not run%n");
                return;
            }
            out.printf("%n## 6. MQTT link, one-read sections through mosquitto (journal on)%n%n");
            out.println("| way | latency median, us | p99, us | samples | sections (requests) per second, "
                    + MqttLinkBenchmark.BATCH + " in flight | median vs bare |");
            out.println("|---|---|---|---|---|---|");
            for (RunResult[] row : new RunResult[][] {{link, linkFlood}, {linkSynced, null}, {bare, bareFlood}, {direct, null}}) {
                if (row[0] == null) {
                    continue;
                }
                String name = row[0].getParams().getBenchmark();
                out.printf("| %s | %s | %s | %s | %s | %sx |%n", name.substring(name.lastIndexOf('.') + 1),
                        format(percentile(row[0], 50)), format(percentile(row[0], 99)),
                        format(row[0].getPrimaryResult().getStatistics().getN()),
                        row[1] == null ? "" : scoreWithError(row[1]), format(percentile(row[0], 50) / percentile(bare, 50)));
            }
            double ratio = percentile(link, 50) / percentile(bare, 50);
            out.printf("%nGoals: median latency at most 1.5x the bare round trip (%sx): %s", format(ratio), verdict(ratio <= 1.5));
            if (linkFlood != null) {
                out.printf("; at least 10,000 one-read sections per second through one gateway (%s): %s",
                        format(score(linkFlood)), verdict(score(linkFlood) >= 10_000));
            }
            out.println();
        }

        private void http(PrintStream out) {
            out.printf("%n## 7. A one-read section over HTTP against a direct execute%n%n");
            out.println("| device | way | latency median, us | latency p99, us | requests per second, " + HttpBenchmark.CLIENTS
                    + " clients (median) | HTTP / direct (median latency) |");
            out.println("|---|---|---|---|---|---|");
            boolean any = false;
            for (String device : new String[] {"memory", "simulator"}) {
                RunResult direct = find("HttpBenchmark.direct", "device", device);
                RunResult http = find("HttpBenchmark.overHttp", "device", device);
                RunResult directRate = find("HttpBenchmark.directThroughput", "device", device);
                RunResult httpRate = find("HttpBenchmark.httpThroughput", "device", device);
                if (direct == null || http == null) {
                    continue;
                }
                any = true;
                double directMedian = percentile(direct, 50);
                double httpMedian = percentile(http, 50);
                out.printf("| %s | direct execute | %s | %s | %s | 1x |%n", device, format(directMedian), format(percentile(direct, 99)),
                        directRate == null ? "not run" : format(score(directRate)));
                out.printf("| %s | POST sections | %s | %s | %s | %sx |%n", device, format(httpMedian), format(percentile(http, 99)),
                        httpRate == null ? "not run" : format(score(httpRate)), format(httpMedian / directMedian));
            }
            if (!any) {
                out.println("| not run | | | | | |");
            }
            out.println();
            out.println("No goal set: the rows tell what HTTP adds to a section (parsing, authentication, the result line, "
                    + "loopback TCP).");
        }

        private void readPlanning(PrintStream out, String server) {
            RunResult engine = find("ReadPlanningBenchmark.engineDefaults", "server", server);
            RunResult engineNoSpin = find("ReadPlanningBenchmark.engineNoSpin", "server", server);
            RunResult engineWideGap = find("ReadPlanningBenchmark.engineWideGap", "server", server);
            RunResult enginePipelined = find("ReadPlanningBenchmark.enginePipelined", "server", server);
            RunResult naive = find("ReadPlanningBenchmark.naive", "server", server);
            RunResult hand = find("ReadPlanningBenchmark.handOptimal", "server", server);
            RunResult driverDirect = find("ReadPlanningBenchmark.driverDirect", "server", server);
            RunResult driverPipelined = find("ReadPlanningBenchmark.driverPipelined", "server", server);
            if (engine == null || naive == null || hand == null) {
                out.printf("%n## 1. Read planning (%s): not run%n", server);
                return;
            }
            double minimum = per(hand, "minimum", "reads");
            out.printf("%n## 1. Read planning, 1,000 pathpoints over 5,000 registers (%s)%n%n", server);
            out.println("| way | ms per read of all 1,000, median | requests | vs hand-optimal time | naive / this |");
            out.println("|---|---|---|---|---|");
            for (RunResult row : new RunResult[] {engine, engineNoSpin, engineWideGap, enginePipelined, driverDirect, driverPipelined, hand,
                    naive}) {
                if (row == null) {
                    continue;
                }
                String name = row.getParams().getBenchmark();
                String label = name.substring(name.lastIndexOf('.') + 1);
                out.printf("| %s | %s | %s | %sx | %sx |%n", label, scoreWithError(row), format(per(row, "requests", "reads")),
                        format(score(row) / score(hand)), format(score(naive) / score(row)));
            }
            double requests = per(engine, "requests", "reads");
            double vsHand = score(engine) / score(hand);
            double vsNaive = score(naive) / score(engine);
            out.printf("%nGoals (engine, shipped defaults): requests = minimum (%s vs %s): %s; time within 1.1x of hand-optimal "
                    + "(%sx): %s; at least 30x faster than naive (%sx): %s%n", format(requests), format(minimum),
                    verdict(Math.abs(requests - minimum) < 0.5), format(vsHand), verdict(vsHand <= 1.1), format(vsNaive),
                    verdict(vsNaive >= 30));
            if (engineWideGap != null) {
                out.printf("With maxRegisterGap %d (%s requests, its own minimum %s): %sx faster than naive%n",
                        ReadPlanningBenchmark.WIDE_GAP, format(per(engineWideGap, "requests", "reads")),
                        format(per(engineWideGap, "minimum", "reads")), format(score(naive) / score(engineWideGap)));
            }
            if (enginePipelined != null) {
                double pipelinedRequests = per(enginePipelined, "requests", "reads");
                double pipelinedVsHand = score(enginePipelined) / score(hand);
                double pipelinedVsNaive = score(naive) / score(enginePipelined);
                out.printf("Goals with maxOutstandingRequests %d (shipped gap): requests = minimum (%s): %s; at most 0.35x of "
                        + "hand-optimal (%sx): %s; at least 30x faster than naive (%sx): %s%n", ReadPlanningBenchmark.PIPELINE_DEPTH,
                        format(pipelinedRequests), verdict(Math.abs(pipelinedRequests - minimum) < 0.5), format(pipelinedVsHand),
                        verdict(pipelinedVsHand <= 0.35), format(pipelinedVsNaive), verdict(pipelinedVsNaive >= 30));
            }
        }

        private void overhead(PrintStream out) {
            RunResult engine = find("EngineOverheadBenchmark.throughEngine", null, null);
            RunResult direct = find("EngineOverheadBenchmark.direct", null, null);
            if (engine == null || direct == null) {
                out.printf("%n## 2. Engine overhead: not run%n");
                return;
            }
            int orders = EngineOverheadBenchmark.ORDERS;
            double engineNs = score(engine) * 1000 / orders;
            double directNs = score(direct) * 1000 / orders;
            out.printf("%n## 2. Engine overhead, 10,000 reads into an in-memory driver%n%n");
            out.println("| way | us per 10,000 orders, median | ns per order | orders per second | batches | ratio |");
            out.println("|---|---|---|---|---|---|");
            out.printf("| through the engine | %s | %s | %s | %s | %sx |%n", scoreWithError(engine), format(engineNs),
                    format(1e9 / engineNs), format(per(engine, "batches", "orders") * orders), format(engineNs / directNs));
            out.printf("| driver called directly | %s | %s | %s | %s | 1x |%n", scoreWithError(direct), format(directNs),
                    format(1e9 / directNs), format(per(direct, "batches", "orders") * orders));
            double added = engineNs - directNs;
            out.printf("%nGoal: added cost per order under 1 us (%s ns): %s%n", format(added), verdict(added < 1000));
        }

        private void isolation(PrintStream out) {
            RunResult alone = find("IsolationBenchmark.healthyReads", "deadDevice", "false");
            RunResult loaded = find("IsolationBenchmark.healthyReads", "deadDevice", "true");
            if (alone == null || loaded == null) {
                out.printf("%n## 3. Isolation: not run%n");
                return;
            }
            double ratio = score(loaded) / score(alone);
            out.printf("%n## 3. Isolation, sections of 10 reads to a healthy device%n%n");
            out.println("| second device | healthy sections per second, median | dead-device timeouts per iteration | ratio |");
            out.println("|---|---|---|---|");
            out.printf("| absent | %s | %s | 1x |%n", scoreWithError(alone), format(secondary(alone, "deadTimeouts")));
            out.printf("| dead, 50 reads outstanding | %s | %s | %sx |%n", scoreWithError(loaded),
                    format(secondary(loaded, "deadTimeouts")), format(ratio));
            out.printf("%nGoal: at least 90%% of the healthy-alone throughput (%s%%): %s%n", format(ratio * 100),
                    verdict(ratio >= 0.9));
        }

        private RunResult find(String benchmark, String param, String value, String param2, String value2) {
            for (RunResult result : results) {
                if (result.getParams().getBenchmark().endsWith("." + benchmark)
                        && value.equals(result.getParams().getParam(param))
                        && value2.equals(result.getParams().getParam(param2))) {
                    return result;
                }
            }
            return null;
        }

        private void joining(PrintStream out) {
            out.printf("%n## 4. Joining, 10,000 single-read sections (embedded simulator)%n%n");
            out.println("| way | ms for all 10,000, median | requests | time vs one batch | requests vs one batch |");
            out.println("|---|---|---|---|---|");
            RunResult anchor = find("JoiningAnchorBenchmark.driverOneBatch", null, null);
            RunResult joinable = find("JoiningBenchmark.tenThousandSections", "disposition", "JOINABLE", "settings", "defaults");
            RunResult barrier = find("JoiningBenchmark.tenThousandSections", "disposition", "CANNOT_JOIN", "settings", "defaults");
            if (anchor == null || joinable == null || barrier == null) {
                out.println("| not run | | | | |");
                return;
            }
            double anchorRequests = per(anchor, "requests", "rounds");
            out.printf("| the driver, all 10,000 reads in one batch (anchor) | %s | %s | 1x | 1x |%n", scoreWithError(anchor),
                    format(anchorRequests));
            for (RunResult row : new RunResult[] {joinable, barrier}) {
                double requests = per(row, "requests", "rounds");
                out.printf("| engine, shipped defaults, %s | %s | %s | %sx | %sx |%n", row.getParams().getParam("disposition"),
                        scoreWithError(row), format(requests), format(score(row) / score(anchor)),
                        format(requests / anchorRequests));
            }
            out.printf("%nGoal: JOINABLE with the shipped defaults within 1.1x the requests and 1.3x the time of the"
                    + " one-batch anchor: %s%n", score(joinable) <= 1.3 * score(anchor)
                            && per(joinable, "requests", "rounds") <= 1.1 * anchorRequests ? "met" : "NOT met");
        }

        private void reparse(PrintStream out) {
            RunResult plain = find("ReparseBenchmark.plainReads", null, null);
            RunResult reparse = find("ReparseBenchmark.reparseReads", null, null);
            out.printf("%n## 6. Reparse reads, 1,000 over 1,000 scattered registers (embedded simulator)%n%n");
            if (plain == null || reparse == null) {
                out.println("not run");
                return;
            }
            double plainRequests = per(plain, "requests", "sections");
            double reparseRequests = per(reparse, "requests", "sections");
            out.println("| reads | ms per section of 1,000, median | requests | time ratio |");
            out.println("|---|---|---|---|");
            out.printf("| plain `W1r<n>` | %s | %s | 1x |%n", scoreWithError(plain), format(plainRequests));
            out.printf("| reparse `rf{W1r<n>}*0.1+2` | %s | %s | %sx |%n", scoreWithError(reparse), format(reparseRequests),
                    format(score(reparse) / score(plain)));
            out.printf("%nGoal: the same requests and at most 1.2x the time: %s%n",
                    reparseRequests == plainRequests && score(reparse) <= 1.2 * score(plain) ? "met" : "NOT met");
        }

        private void memory(PrintStream out) {
            RunResult memory = find("MemoryBenchmark.queueBehindStalledDriver", null, null);
            if (memory == null) {
                out.printf("%n## 5. Memory: not run%n");
                return;
            }
            out.printf("%n## 5. Memory, 100,000 sections queued behind a stalled driver%n%n");
            out.println("| measure | value |");
            out.println("|---|---|");
            out.printf("| heap per section, built and held by the producer | %s bytes |%n",
                    format(secondary(memory, "builtBytesPerSection")));
            out.printf("| heap per section, queued (producer's objects + engine) | %s bytes |%n",
                    format(secondary(memory, "queuedBytesPerSection")));
            out.printf("| the engine's share per section | %s bytes |%n",
                    format(secondary(memory, "engineBytesPerSection")));
            out.printf("| heap for 100,000 queued sections | %s MiB |%n",
                    format(secondary(memory, "queuedMegabytes")));
            out.printf("| time to build and queue them (incl. forced GCs) | %s ms |%n", scoreWithError(memory));
            double queued = secondary(memory, "queuedBytesPerSection");
            out.printf("%nGoal: under 1 KiB per queued section (%s bytes): %s%n", format(queued), verdict(queued < 1024));
        }

        private void idleLatency(PrintStream out) {
            RunResult latency = find("SectionLatencyBenchmark.oneReadSection", null, null);
            out.printf("%n## 8. An idle engine's latency, one read section (embedded simulator)%n%n");
            if (latency == null) {
                out.println("not run");
                return;
            }
            out.println("| measure | us |");
            out.println("|---|---|");
            out.printf("| median | %s |%n", format(percentile(latency, 50)));
            out.printf("| p99 | %s |%n", format(percentile(latency, 99)));
            out.printf("%nThe same benchmark runs unchanged against an earlier engine (its jar, same machine, one"
                    + " after the other): compare the medians there.%n");
        }
    }
}
