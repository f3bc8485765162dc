package dev.pathpoint.sysctl.internal.repository;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.osgi.framework.Version;

/**
 * An OSGi repository index (the XML of the Repository Service specification, {@code index.xml} or
 * gzipped {@code index.xml.gz}): for each installed bundle the highest version of a resource of the
 * same {@code osgi.identity} that is higher than the installed one, downloaded from its
 * {@code osgi.content} URL (relative to the index) and checked against the index's SHA-256 and size.
 */
final class RepositoryIndex {

    private static final String IDENTITY = "osgi.identity";
    private static final String CONTENT = "osgi.content";

    private final URI index;
    private final String repository;
    private final ArtifactDownloads downloads;

    RepositoryIndex(URI index, String repository, ArtifactDownloads downloads) {
        this.index = index;
        this.repository = repository;
        this.downloads = downloads;
    }

    /** What the index says of one bundle resource. */
    record IndexedBundle(String symbolicName, Version version, URI url, String sha256, long size) {
    }

    List<StagedArtifact> fetchNewer(List<InstalledArtifact> installed, Path staging) throws RepositoryException {
        Map<String, IndexedBundle> newest = new HashMap<>();
        for (IndexedBundle bundle : read(staging)) {
            newest.merge(bundle.symbolicName(), bundle, (a, b) -> a.version().compareTo(b.version()) >= 0 ? a : b);
        }
        List<StagedArtifact> staged = new ArrayList<>();
        for (InstalledArtifact bundle : installed) {
            IndexedBundle offered = newest.get(bundle.symbolicName());
            if (offered == null || offered.version().compareTo(bundle.version()) <= 0) {
                continue;
            }
            String fileName = offered.symbolicName() + "-" + offered.version() + ".jar";
            String what = offered.symbolicName() + " " + offered.version();
            staged.add(downloads.jar(offered.url(), staging, fileName, what, Optional.of(offered.sha256()), offered.size()));
        }
        return staged;
    }

    private List<IndexedBundle> read(Path staging) throws RepositoryException {
        Path file = staging.resolve("repository-index");
        String what = "index " + index;
        try {
            downloads.fetcher().fetch(index, file, "the index");
            try (InputStream in = openMaybeGzipped(file)) {
                return parse(in);
            }
        } catch (XMLStreamException | IllegalArgumentException e) {
            throw new RepositoryException(what + " of repository " + repository + " is not a valid repository index: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new RepositoryException(what + " of repository " + repository + " cannot be read: " + e.getMessage(), e);
        } finally {
            Fetcher.deleteQuietly(file);
        }
    }

    private static InputStream openMaybeGzipped(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == 0x1f && second == 0x8b ? new GZIPInputStream(in) : in;
    }

    /** The bundle resources of the index; one without identity, content URL or SHA-256 is refused. */
    private List<IndexedBundle> parse(InputStream in) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        // the index is data: no DTD, no external entity
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        XMLStreamReader reader = factory.createXMLStreamReader(in);
        List<IndexedBundle> bundles = new ArrayList<>();
        try {
            Map<String, Map<String, String>> capabilities = null;
            String namespace = null;
            int resources = 0;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.DTD) {
                    throw new IllegalArgumentException("it declares a DTD, which an index must not");
                }
                if (event == XMLStreamConstants.START_ELEMENT) {
                    switch (reader.getLocalName()) {
                        case "resource" -> {
                            capabilities = new HashMap<>();
                            resources++;
                        }
                        case "capability" -> {
                            namespace = reader.getAttributeValue(null, "namespace");
                            if (capabilities != null && namespace != null) {
                                capabilities.putIfAbsent(namespace, new HashMap<>());
                            }
                        }
                        case "attribute" -> {
                            if (capabilities != null && namespace != null && capabilities.containsKey(namespace)) {
                                capabilities.get(namespace).put(reader.getAttributeValue(null, "name"),
                                        reader.getAttributeValue(null, "value"));
                            }
                        }
                        default -> {
                        }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    if (reader.getLocalName().equals("capability")) {
                        namespace = null;
                    } else if (reader.getLocalName().equals("resource") && capabilities != null) {
                        bundle(capabilities, resources).ifPresent(bundles::add);
                        capabilities = null;
                    }
                }
            }
        } finally {
            reader.close();
        }
        return bundles;
    }

    private Optional<IndexedBundle> bundle(Map<String, Map<String, String>> capabilities, int position) {
        Map<String, String> identity = capabilities.get(IDENTITY);
        if (identity == null || !"osgi.bundle".equals(identity.getOrDefault("type", "osgi.bundle"))) {
            return Optional.empty(); // fragments and other resources are not bundles to update in place
        }
        String name = identity.get(IDENTITY);
        Map<String, String> content = capabilities.get(CONTENT);
        if (name == null || content == null || content.get("url") == null || content.get(CONTENT) == null) {
            throw new IllegalArgumentException("resource " + position + " (" + name + ") lacks its "
                    + (name == null ? "osgi.identity name" : "osgi.content url or SHA-256"));
        }
        Version version = Version.parseVersion(identity.getOrDefault("version", "0.0.0"));
        long size = content.get("size") == null ? -1 : Long.parseLong(content.get("size").strip());
        return Optional.of(new IndexedBundle(name, version, index.resolve(content.get("url").strip()),
                content.get(CONTENT).strip(), size));
    }
}
