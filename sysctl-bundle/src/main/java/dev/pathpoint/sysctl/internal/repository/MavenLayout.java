package dev.pathpoint.sysctl.internal.repository;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * A Maven repository in release layout: for an installed bundle's coordinates, the newest release
 * named by {@code group/artifact/maven-metadata.xml} (its {@code release}, else the last non-snapshot
 * of {@code versions}), downloaded as {@code group/artifact/version/artifact-version.jar}.
 */
final class MavenLayout {

    private final URI base;
    private final String repository;
    private final ArtifactDownloads downloads;
    /** Coordinates configured for symbolic names, over those the bundles tell. */
    private final Map<String, MavenCoordinates> configured;

    MavenLayout(URI base, String repository, ArtifactDownloads downloads, Map<String, MavenCoordinates> configured) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.repository = repository;
        this.downloads = downloads;
        this.configured = configured;
    }

    List<StagedArtifact> fetchNewer(List<InstalledArtifact> installed, Path staging) throws RepositoryException {
        List<StagedArtifact> staged = new ArrayList<>();
        for (InstalledArtifact bundle : installed) {
            Optional<MavenCoordinates> coordinates = Optional.ofNullable(configured.get(bundle.symbolicName()))
                    .or(bundle::coordinates);
            if (coordinates.isEmpty()) {
                continue;
            }
            MavenCoordinates artifact = coordinates.get();
            Optional<String> release = newestRelease(artifact, staging);
            if (release.isEmpty() || release.get().equals(bundle.coordinates().map(MavenCoordinates::version).orElse(null))) {
                continue;
            }
            String version = release.get();
            String fileName = artifact.artifactId() + "-" + version + ".jar";
            URI jar = base.resolve(artifact.artifactPath() + version + "/" + fileName);
            String what = artifact.groupId() + ":" + artifact.artifactId() + ":" + version;
            staged.add(downloads.jar(jar, staging, fileName, what, Optional.empty(), -1));
        }
        return staged;
    }

    private Optional<String> newestRelease(MavenCoordinates artifact, Path staging) throws RepositoryException {
        URI uri = base.resolve(artifact.artifactPath() + "maven-metadata.xml");
        String what = artifact.groupId() + ":" + artifact.artifactId() + " maven-metadata.xml";
        Path file = staging.resolve(artifact.groupId() + "_" + artifact.artifactId() + "-maven-metadata.xml");
        try {
            downloads.fetcher().fetch(uri, file, what);
            Document document;
            try (InputStream in = Files.newInputStream(file)) {
                document = secureBuilder().parse(in);
            }
            Element versioning = child(document.getDocumentElement(), "versioning");
            if (versioning == null) {
                return Optional.empty();
            }
            Element release = child(versioning, "release");
            if (release != null && isRelease(release.getTextContent().strip())) {
                return Optional.of(checkedVersion(release.getTextContent().strip(), what));
            }
            Element versions = child(versioning, "versions");
            String newest = null;
            if (versions != null) {
                NodeList listed = versions.getElementsByTagName("version");
                for (int i = 0; i < listed.getLength(); i++) {
                    String version = listed.item(i).getTextContent().strip();
                    if (isRelease(version)) {
                        newest = version;
                    }
                }
            }
            return newest == null ? Optional.empty() : Optional.of(checkedVersion(newest, what));
        } catch (RepositoryException e) {
            if (e.notFound()) {
                return Optional.empty(); // the repository does not hold this artifact: it offers nothing for it
            }
            throw e;
        } catch (SAXException e) {
            throw new RepositoryException(what + " from repository " + repository + " is not well-formed XML: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new RepositoryException(what + " from repository " + repository + " cannot be read: " + e.getMessage(), e);
        } finally {
            Fetcher.deleteQuietly(file);
        }
    }

    private String checkedVersion(String version, String what) throws RepositoryException {
        if (!MavenCoordinates.isId(version)) {
            throw new RepositoryException(what + " from repository " + repository + " names an invalid version '"
                    + version + "'");
        }
        return version;
    }

    private static boolean isRelease(String version) {
        return !version.isEmpty() && !version.endsWith("-SNAPSHOT");
    }

    private static Element child(Element parent, String name) {
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && name.equals(element.getLocalName() != null
                    ? element.getLocalName() : element.getTagName())) {
                return element;
            }
        }
        return null;
    }

    /** A DOM parser that reads no DTD and no external entity: the metadata is data, not instructions. */
    private static DocumentBuilder secureBuilder() throws RepositoryException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder();
        } catch (ParserConfigurationException | IllegalArgumentException e) {
            throw new RepositoryException("the Java platform's XML parser cannot be configured safely: " + e.getMessage(), e);
        }
    }
}
