package salmonrun.activities.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/** sha256 over phase, code version, canonical config JSON, input artifact hashes, principle-set hash. */
public final class ExecutionKeys {
    private ExecutionKeys() {}

    /**
     * The memoization key of a phase execution. Config key order does not matter (canonical JSON);
     * the order of inputHashes does (callers pass inputs in their meaningful order).
     */
    public static String of(String phase, String codeVersion, JsonNode config, List<String> inputHashes,
            String principleSetHash) {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(codeVersion, "codeVersion");
        ObjectNode key = JsonNodeFactory.instance.objectNode();
        key.put("phase", phase);
        key.put("codeVersion", codeVersion);
        key.set("config", config == null ? JsonNodeFactory.instance.objectNode() : config);
        ArrayNode inputs = key.putArray("inputs");
        for (String h : inputHashes == null ? List.<String>of() : inputHashes) {
            inputs.add(Objects.requireNonNull(h, "input hash"));
        }
        if (principleSetHash == null) {
            key.putNull("principleSetHash");
        } else {
            key.put("principleSetHash", principleSetHash);
        }
        return Hashes.sha256Hex(CanonicalJson.write(key));
    }
}
