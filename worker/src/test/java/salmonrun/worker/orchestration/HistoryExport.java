package salmonrun.worker.orchestration;

import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes workflow histories for the replay tests when run with {@code -Dsalmon.exportHistories=DIR}
 * (e.g. workflows/src/test/resources/histories): each workflow id becomes {@code <prefix>-<suffix>.json}.
 */
final class HistoryExport {
    private HistoryExport() {}

    static void export(WorkflowClient client, String prefix, String workflowId, String... childSuffixes)
            throws IOException {
        String dir = System.getProperty("salmon.exportHistories");
        if (dir == null || dir.isBlank()) {
            return;
        }
        Path out = Files.createDirectories(Path.of(dir));
        java.util.Properties ids = new java.util.Properties();
        Path index = out.resolve("workflow-ids.properties");
        if (Files.exists(index)) {
            try (var in = Files.newBufferedReader(index)) {
                ids.load(in);
            }
        }
        Files.writeString(out.resolve(prefix + "-SalmonRun.json"), client.fetchHistory(workflowId).toJson(true));
        ids.setProperty(prefix + "-SalmonRun.json", workflowId);
        for (String suffix : childSuffixes) {
            Files.writeString(out.resolve(prefix + "-" + suffix + ".json"),
                    client.fetchHistory(workflowId + "-" + suffix).toJson(true));
            ids.setProperty(prefix + "-" + suffix + ".json", workflowId + "-" + suffix);
        }
        try (var w = Files.newBufferedWriter(index)) {
            ids.store(w, "history file = the workflow id it was recorded under (child ids derive from it)");
        }
    }
}
