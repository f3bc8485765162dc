package dev.pathpoint.engine.internal.shell;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.felix.service.command.Descriptor;

/**
 * Usage lines and help texts of shell commands, written from the same {@link Descriptor} annotations
 * that Gogo's {@code help} shows, so that {@code pathpoint:read --help} (Karaf hands {@code --help}
 * to the command) and {@code help pathpoint:read} say the same.
 */
final class CommandHelp {
    /** Descriptors of the forms that only print the usage start with this. */
    static final String USAGE_FORM = "prints how to use";
    private static final Pattern PARAMETER = Pattern.compile("<([^>]+)>");

    private final Class<?> commands;
    private final String scope;
    private final Map<String, String> parameters;

    /**
     * @param parameters the parameters of each command as a usage line shows them, names in angle
     *        brackets: {@code <pathpoint> [<advise>]}
     */
    CommandHelp(Class<?> commands, String scope, Map<String, String> parameters) {
        this.commands = commands;
        this.scope = scope;
        this.parameters = parameters;
    }

    /** Whether an argument asks for help rather than being one. */
    static boolean isHelp(String argument) {
        return "--help".equals(argument) || "-h".equals(argument);
    }

    String usage(String command) {
        String parameterList = parameters.getOrDefault(command, "");
        return "usage: " + scope + ":" + command + (parameterList.isEmpty() ? "" : " " + parameterList);
    }

    /** What a command says when its arguments fit none of its forms: the help if asked, else the usage. */
    String misfit(String command, String[] arguments) {
        if (arguments.length > 0 && isHelp(arguments[0])) {
            return help(command);
        }
        String problem = arguments.length == 0 ? "arguments missing" : "these arguments do not fit: " + String.join(" ", arguments);
        return "error: " + scope + ":" + command + ": " + problem + "\n" + usage(command) + "\n"
                + "(" + scope + ":" + command + " --help tells more)\n";
    }

    /** The command's description, usage line and a line per parameter. */
    String help(String command) {
        Method form = Arrays.stream(commands.getMethods())
                .filter(method -> method.getName().equals(command))
                .filter(method -> !descriptor(method.getAnnotations()).startsWith(USAGE_FORM))
                .max(Comparator.comparingInt(Method::getParameterCount))
                .orElseThrow(() -> new IllegalArgumentException("no command " + command));
        StringBuilder out = new StringBuilder();
        out.append(scope).append(':').append(command).append(" - ").append(descriptor(form.getAnnotations())).append('\n');
        out.append(usage(command)).append('\n');
        List<String> names = new ArrayList<>();
        Matcher matcher = PARAMETER.matcher(parameters.getOrDefault(command, ""));
        while (matcher.find()) {
            names.add("<" + matcher.group(1) + ">");
        }
        Annotation[][] annotations = form.getParameterAnnotations();
        int width = names.stream().mapToInt(String::length).max().orElse(0);
        for (int i = 0; i < names.size() && i < annotations.length; i++) {
            out.append("  ").append(String.format("%-" + width + "s", names.get(i))).append("  ")
                    .append(descriptor(annotations[i])).append('\n');
        }
        return out.toString();
    }

    private static String descriptor(Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            if (annotation instanceof Descriptor descriptor) {
                return descriptor.value();
            }
        }
        return "";
    }
}
