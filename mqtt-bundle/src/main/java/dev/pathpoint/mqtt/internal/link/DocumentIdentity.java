package dev.pathpoint.mqtt.internal.link;

import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The id a document gives itself, and the key it is deduplicated under.
 *
 * <p>The id is the MQTT 5 user property {@value #ID_PROPERTY} if the message has one, else its
 * correlation data (as text when it is printable UTF-8, else {@code base64:...}), else a digest of
 * the message ({@code sha256:...} of the payload and the response topic): a redelivered copy of a
 * message without an id still has the same key, but so has a second message with the same content,
 * so a central system that repeats a document on purpose gives each copy its own id.
 */
record DocumentIdentity(String key, String id, Optional<byte[]> correlationData, Optional<String> responseTopic) {
    static final String ID_PROPERTY = "id";
    private static final int MAX_KEY_CHARS = 200;

    static DocumentIdentity of(Mqtt5Publish publish) {
        Optional<byte[]> correlation = publish.getCorrelationData().map(DocumentIdentity::bytes);
        Optional<String> responseTopic = publish.getResponseTopic().map(MqttTopic::toString);
        Optional<String> property = publish.getUserProperties().asList().stream()
                .filter(p -> p.getName().toString().equals(ID_PROPERTY))
                .map(Mqtt5UserProperty::getValue).map(Object::toString).findFirst();
        if (property.isPresent()) {
            return new DocumentIdentity(key("id:", property.get()), property.get(), correlation, responseTopic);
        }
        if (correlation.isPresent()) {
            String text = printable(correlation.get()).orElseGet(() -> "base64:" + Base64.getEncoder().encodeToString(correlation.get()));
            return new DocumentIdentity(key("cd:", Base64.getEncoder().encodeToString(correlation.get())), text,
                    correlation, responseTopic);
        }
        MessageDigest digest = sha256();
        digest.update(publish.getPayloadAsBytes());
        digest.update((byte) 0);
        digest.update(responseTopic.orElse("").getBytes(StandardCharsets.UTF_8));
        String id = "sha256:" + HexFormat.of().formatHex(digest.digest());
        return new DocumentIdentity("h:" + id, id, correlation, responseTopic);
    }

    /** A key of bounded length: long ids are kept as their digest. */
    private static String key(String kind, String value) {
        if (value.length() <= MAX_KEY_CHARS) {
            return kind + value;
        }
        return kind + "sha256:" + HexFormat.of().formatHex(sha256().digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static Optional<String> printable(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return text.isEmpty() || text.chars().anyMatch(Character::isISOControl) ? Optional.empty() : Optional.of(text);
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

}
