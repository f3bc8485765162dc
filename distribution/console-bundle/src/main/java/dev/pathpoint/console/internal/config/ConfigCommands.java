package dev.pathpoint.console.internal.config;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Config Admin at the Felix console, scope {@code cm}: list, get, put and delete configurations.
 * A factory configuration is named {@code FACTORY~NAME} ({@code dev.pathpoint.modbus~plc2}), as
 * Config Admin names the configurations of {@code conf/FACTORY-NAME.config} files. Values are
 * converted to the type the bundle's metatype declares; a property the metatype does not know is
 * refused, so that a typo is not stored. Changes to a configuration that comes from a file in
 * {@code conf/} last until the file changes (the files are the source of truth).
 */
@Component(service = ConfigCommands.class, property = {
        "osgi.command.scope=cm",
        "osgi.command.function=list",
        "osgi.command.function=get",
        "osgi.command.function=put",
        "osgi.command.function=delete"})
public final class ConfigCommands {
    /** Set by FileInstall on configurations it made from a file. */
    static final String FILE_PROPERTY = "felix.fileinstall.filename";
    private static final char NAME_SEPARATOR = '~';

    private final ConfigurationAdmin admin;
    private final MetaTypeService metaType;
    private final BundleContext context;

    @Activate
    public ConfigCommands(@Reference ConfigurationAdmin admin, @Reference MetaTypeService metaType, BundleContext context) {
        this.admin = admin;
        this.metaType = metaType;
        this.context = context;
    }

    @Descriptor("lists every configuration: PID, factory PID and the file it comes from")
    public String list() throws IOException, InvalidSyntaxException {
        return list(".*");
    }

    @Descriptor("lists the configurations whose PID matches a regular expression")
    public String list(@Descriptor("a regular expression the whole PID must match, in single quotes, e.g. 'dev.pathpoint.*'")
            String regex) throws IOException, InvalidSyntaxException {
        Pattern selected;
        try {
            selected = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return "error: '" + regex + "' is not a valid regular expression: " + e.getDescription() + "\n";
        }
        List<Configuration> configurations = new ArrayList<>(Arrays.asList(Optional.ofNullable(admin.listConfigurations(null))
                .orElse(new Configuration[0])));
        configurations.removeIf(configuration -> !selected.matcher(configuration.getPid()).matches());
        if (configurations.isEmpty()) {
            return "no configurations\n";
        }
        configurations.sort(Comparator.comparing(Configuration::getPid));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"pid", "factory", "file"});
        for (Configuration configuration : configurations) {
            rows.add(new String[] {configuration.getPid(), Optional.ofNullable(configuration.getFactoryPid()).orElse(""),
                file(configuration).map(Path::toString).orElse("")});
        }
        return columns(rows);
    }

    @Descriptor("prints the properties of a configuration, with their types")
    public String get(@Descriptor("the configuration's PID; FACTORY~NAME for a factory configuration") String pid)
            throws IOException, InvalidSyntaxException {
        Optional<Configuration> found = find(pid);
        if (found.isEmpty()) {
            return notFound(pid);
        }
        Configuration configuration = found.get();
        StringBuilder out = new StringBuilder(pid);
        if (configuration.getFactoryPid() != null) {
            out.append(" (factory ").append(configuration.getFactoryPid()).append(")");
        }
        file(configuration).ifPresent(file -> out.append(" from ").append(file));
        out.append('\n');
        Dictionary<String, Object> properties = configuration.getProperties();
        List<String> keys = properties == null ? List.of() : new ArrayList<>(Collections.list(properties.keys()));
        Collections.sort(keys);
        for (String key : keys) {
            out.append("  ").append(key).append(" = ").append(PropertyTypes.describe(properties.get(key))).append('\n');
        }
        return out.toString();
    }

    @Descriptor("sets one property of a configuration, creating the configuration if there is none;"
            + " the value takes the type the metatype declares (several values: separated by commas)")
    public String put(@Descriptor("the configuration's PID; FACTORY~NAME for a factory configuration, e.g. dev.pathpoint.modbus~plc2")
            String pid,
            @Descriptor("the property, e.g. host") String key,
            @Descriptor("its value, e.g. 192.0.2.10") String value) throws IOException, InvalidSyntaxException {
        String factoryPid = factoryPid(pid);
        Optional<ObjectClassDefinition> definition = definition(factoryPid != null ? factoryPid : pid);
        Optional<String> wrongKind = wrongKind(pid, factoryPid);
        if (wrongKind.isPresent()) {
            return "error: " + wrongKind.get() + "\n";
        }
        Optional<Configuration> found = find(pid);
        Object typed;
        try {
            typed = typed(definition, found, key, value);
        } catch (IllegalArgumentException e) {
            return "error: " + pid + ": " + e.getMessage() + "\n";
        }
        Configuration configuration = found.isPresent() ? found.get()
                : factoryPid != null ? admin.getFactoryConfiguration(factoryPid, pid.substring(factoryPid.length() + 1), "?")
                : admin.getConfiguration(pid, "?");
        Dictionary<String, Object> properties = Optional.ofNullable(configuration.getProperties()).orElseGet(Hashtable::new);
        properties.put(key, typed);
        configuration.update(properties);
        return (found.isPresent() ? "" : "created ") + pid + ": " + key + " = " + PropertyTypes.describe(typed) + "\n"
                + fileNote(configuration);
    }

    @Descriptor("deletes a configuration")
    public String delete(@Descriptor("the configuration's PID; FACTORY~NAME for a factory configuration") String pid)
            throws IOException, InvalidSyntaxException {
        Optional<Configuration> found = find(pid);
        if (found.isEmpty()) {
            return notFound(pid);
        }
        String note = fileNote(found.get());
        found.get().delete();
        return "deleted " + pid + "\n" + note;
    }

    @Descriptor("removes one property from a configuration")
    public String delete(@Descriptor("the configuration's PID; FACTORY~NAME for a factory configuration") String pid,
            @Descriptor("the property to remove") String key) throws IOException, InvalidSyntaxException {
        Optional<Configuration> found = find(pid);
        if (found.isEmpty()) {
            return notFound(pid);
        }
        Dictionary<String, Object> properties = found.get().getProperties();
        if (properties == null || properties.get(key) == null) {
            return "error: " + pid + " has no property " + key + "\n";
        }
        properties.remove(key);
        found.get().update(properties);
        return pid + ": removed " + key + "\n" + fileNote(found.get());
    }

    private static String notFound(String pid) {
        return "error: no configuration " + pid + " (cm:list shows them)\n";
    }

    private Object typed(Optional<ObjectClassDefinition> definition, Optional<Configuration> found, String key, String value) {
        if (definition.isPresent()) {
            AttributeDefinition[] attributes = Optional.ofNullable(definition.get().getAttributeDefinitions(ObjectClassDefinition.ALL))
                    .orElse(new AttributeDefinition[0]);
            for (AttributeDefinition attribute : attributes) {
                if (attribute.getID().equals(key)) {
                    Object typed = PropertyTypes.convert(attribute, value);
                    String problem = attribute.getCardinality() == 0 ? attribute.validate(value) : null;
                    if (problem != null && !problem.isEmpty()) {
                        throw new IllegalArgumentException(key + ": " + problem);
                    }
                    return typed;
                }
            }
            if (!key.startsWith("service.")) {
                List<String> known = Arrays.stream(attributes).map(AttributeDefinition::getID).sorted().toList();
                throw new IllegalArgumentException("'" + key + "' is not one of its properties: " + String.join(", ", known));
            }
        }
        Object existing = found.map(Configuration::getProperties).map(properties -> properties.get(key)).orElse(null);
        return PropertyTypes.like(existing, key, value);
    }

    /**
     * Why {@code pid} names the wrong kind of configuration, judged by the metatype: a factory PID
     * without a name would make a configuration that no component takes (a stray).
     */
    private Optional<String> wrongKind(String pid, String factoryPid) {
        if (factoryPid == null && isFactory(pid)) {
            return Optional.of(pid + " is a factory PID: name the configuration, e.g. " + pid + NAME_SEPARATOR + "plc2");
        }
        if (factoryPid != null && !isFactory(factoryPid) && definition(factoryPid).isPresent()) {
            return Optional.of(factoryPid + " is not a factory PID: its one configuration is " + factoryPid);
        }
        return Optional.empty();
    }

    private Optional<Configuration> find(String pid) throws IOException, InvalidSyntaxException {
        Configuration[] found = admin.listConfigurations("(service.pid=" + escape(pid) + ")");
        return found == null || found.length == 0 ? Optional.empty() : Optional.of(found[0]);
    }

    /** The factory PID of {@code FACTORY~NAME}, or null. */
    private static String factoryPid(String pid) {
        int separator = pid.indexOf(NAME_SEPARATOR);
        return separator > 0 && separator < pid.length() - 1 ? pid.substring(0, separator) : null;
    }

    /** The metatype of a PID or factory PID, from whichever bundle declares it. */
    private Optional<ObjectClassDefinition> definition(String pid) {
        for (MetaTypeInformation information : metaTypes()) {
            if (contains(information.getPids(), pid) || contains(information.getFactoryPids(), pid)) {
                return Optional.ofNullable(information.getObjectClassDefinition(pid, null));
            }
        }
        return Optional.empty();
    }

    /** Whether a bundle's metatype declares {@code pid} a factory PID (Felix lists those among the PIDs too). */
    private boolean isFactory(String pid) {
        return metaTypes().stream().anyMatch(information -> contains(information.getFactoryPids(), pid));
    }

    private List<MetaTypeInformation> metaTypes() {
        List<MetaTypeInformation> found = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            MetaTypeInformation information = metaType.getMetaTypeInformation(bundle);
            if (information != null) {
                found.add(information);
            }
        }
        return found;
    }

    private static boolean contains(String[] pids, String pid) {
        return pids != null && Arrays.asList(pids).contains(pid);
    }

    private static Optional<Path> file(Configuration configuration) {
        Dictionary<String, Object> properties = configuration.getProperties();
        Object file = properties == null ? null : properties.get(FILE_PROPERTY);
        if (file == null) {
            return Optional.empty();
        }
        String text = file.toString();
        return Optional.of(text.startsWith("file:") ? Paths.get(java.net.URI.create(text)) : Paths.get(text));
    }

    private static String fileNote(Configuration configuration) {
        return file(configuration).map(file -> "note: " + file + " is not changed: the change lasts until that file changes;"
                + " edit the file to make it last\n").orElse("");
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*");
    }

    private static String columns(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                out.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
