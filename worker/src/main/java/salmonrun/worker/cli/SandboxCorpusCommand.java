package salmonrun.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import salmonrun.activities.sandbox.CorpusGenerator;
import salmonrun.activities.sandbox.SandboxPreset;

/** `salmon sandbox corpus`: writes the pretraining corpus as JSON lines (one document string per line). */
@Command(name = "corpus", mixinStandardHelpOptions = true,
        description = "Write the sandbox pretraining corpus (JSON lines, one document per line).")
public final class SandboxCorpusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--preset", defaultValue = "tiny", description = "ci, tiny or small (sets the document count)")
    String preset;

    @Option(names = "--documents", description = "document count (overrides the preset)")
    Integer documents;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--out", required = true, description = "output file (.jsonl)")
    Path out;

    @Override
    public Integer call() {
        try {
            int n = documents != null ? documents : SandboxPreset.named(preset).documents();
            if (n < 1) {
                throw new IllegalArgumentException("--documents must be >= 1");
            }
            List<String> docs = CorpusGenerator.standard().generate(n, seed);
            Path target = out.toAbsolutePath();
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
            ObjectMapper json = new ObjectMapper();
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (String d : docs) {
                    w.write(json.writeValueAsString(d));
                    w.write('\n');
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            spec.commandLine().getErr().println("wrote " + docs.size() + " documents to " + target);
            return CliContext.OK;
        } catch (Exception e) {
            return CliContext.fail(spec.commandLine().getErr(), e instanceof java.io.IOException io
                    ? new java.io.UncheckedIOException("cannot write " + out + ": " + io.getMessage(), io) : e);
        }
    }
}
