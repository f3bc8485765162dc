package dev.pathpoint.engine.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Minimum read intervals by pathpoint pattern (the seed's {@code read_no_often_than}), parsed from
 * entries {@code regex=millis}. The first entry whose pattern matches the whole name applies.
 */
public final class MinReadIntervals {
    public static final MinReadIntervals NONE = new MinReadIntervals(List.of());

    private record Rule(Pattern pattern, Duration interval) {
    }

    private final List<Rule> rules;

    private MinReadIntervals(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * @throws IllegalArgumentException naming the entry (by index) and what is wrong with it
     */
    public static MinReadIntervals parse(List<String> entries) {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i) == null ? "" : entries.get(i).trim();
            String at = "minReadIntervals[" + i + "] '" + entry + "'";
            int split = entry.lastIndexOf('=');
            if (split <= 0 || split == entry.length() - 1) {
                throw new IllegalArgumentException(at + ": expected 'regex=millis'");
            }
            long millis;
            try {
                millis = Long.parseLong(entry.substring(split + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(at + ": '" + entry.substring(split + 1).trim() + "' is not a whole number of milliseconds");
            }
            if (millis < 0) {
                throw new IllegalArgumentException(at + ": milliseconds must not be negative");
            }
            try {
                rules.add(new Rule(Pattern.compile(entry.substring(0, split).trim()), Duration.ofMillis(millis)));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(at + ": not a valid regular expression: " + e.getDescription());
            }
        }
        return new MinReadIntervals(rules);
    }

    /** The minimum interval between device reads of the pathpoint; zero if no entry matches. */
    public Duration intervalFor(String pathpoint) {
        for (Rule rule : rules) {
            if (rule.pattern.matcher(pathpoint).matches()) {
                return rule.interval;
            }
        }
        return Duration.ZERO;
    }

    @Override
    public String toString() {
        return rules.stream().map(rule -> rule.pattern.pattern() + "=" + rule.interval.toMillis()).toList().toString();
    }
}
