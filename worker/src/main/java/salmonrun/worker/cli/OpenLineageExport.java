package salmonrun.worker.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent;
import io.openlineage.client.OpenLineage.RunEvent.EventType;
import io.openlineage.client.OpenLineageClient;
import io.openlineage.client.OpenLineageClientException;
import io.openlineage.client.transports.FileConfig;
import io.openlineage.client.transports.FileTransport;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;
import io.openlineage.client.transports.Transport;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.AuditedArtifact;
import salmonrun.activities.lineage.ExecutionDetail;
import salmonrun.activities.lineage.LineageEdge;
import salmonrun.activities.lineage.PhaseExecution;
import salmonrun.activities.lineage.Run;
import salmonrun.activities.lineage.RunAuditReport;

/**
 * A run's lineage as OpenLineage run events, so existing lineage catalogs (Marquez, DataHub ...)
 * can read it: the SalmonRun run is a parent job "salmon-run"; each phase execution is a job
 * named after its phase with the run as parent facet, the artifacts it read as inputs and the
 * artifacts it produced as outputs. Datasets are named "kind/sha256" in the given namespace and
 * carry the sha256 as their version. Run ids are name-based UUIDs of the workflow id and
 * idempotency key, so exporting the same run twice yields the same ids.
 */
final class OpenLineageExport {
    static final URI PRODUCER = URI.create("urn:salmon-run:salmon-worker");
    static final String RUN_JOB = "salmon-run";

    private OpenLineageExport() {}

    /** START and end events for the run and every execution, in time order. */
    static List<RunEvent> events(RunAuditReport report, String namespace) {
        OpenLineage ol = new OpenLineage(PRODUCER);
        Run run = report.run();
        UUID runUuid = uuid("run:" + run.workflowId());
        List<RunEvent> events = new ArrayList<>();
        events.add(ol.newRunEventBuilder().eventType(EventType.START).eventTime(time(run.startedAt()))
                .run(ol.newRunBuilder().runId(runUuid).build())
                .job(job(ol, namespace, RUN_JOB, "RUN", "SALMON run " + run.workflowId() + " started by "
                        + run.startedBy()))
                .inputs(List.of()).outputs(List.of()).build());

        Map<Long, AuditedArtifact> byId = new LinkedHashMap<>();
        report.artifacts().forEach(a -> byId.put(a.artifact().id(), a));
        for (ExecutionDetail d : report.executions()) {
            PhaseExecution e = d.execution();
            UUID id = uuid("execution:" + e.idempotencyKey());
            List<OpenLineage.InputDataset> inputs = new ArrayList<>();
            List<OpenLineage.OutputDataset> outputs = new ArrayList<>();
            Map<Long, String> seenInputs = new LinkedHashMap<>();
            for (AuditedArtifact aa : byId.values()) {
                if (!Long.valueOf(e.id()).equals(aa.artifact().producedBy())) {
                    continue;
                }
                outputs.add(ol.newOutputDatasetBuilder().namespace(namespace).name(name(aa.artifact()))
                        .facets(facets(ol, aa.artifact())).build());
                for (LineageEdge edge : aa.inputs()) {
                    AuditedArtifact in = byId.get(edge.inputArtifactId());
                    boolean internal = in != null && Long.valueOf(e.id()).equals(in.artifact().producedBy());
                    if (in != null && !internal && seenInputs.putIfAbsent(edge.inputArtifactId(), edge.role()) == null) {
                        inputs.add(ol.newInputDatasetBuilder().namespace(namespace).name(name(in.artifact()))
                                .facets(facets(ol, in.artifact())).build());
                    }
                }
            }
            OpenLineage.ParentRunFacet parent = ol.newParentRunFacet(ol.newParentRunFacetRun(runUuid, null),
                    ol.newParentRunFacetJob(namespace, RUN_JOB, null), null);
            OpenLineage.Job job = job(ol, namespace, e.phase(), "PHASE", "SALMON phase " + e.phase()
                    + " (attempt " + e.attempt() + (e.workerIdentity() == null ? "" : ", worker " + e.workerIdentity())
                    + ")");
            events.add(ol.newRunEventBuilder().eventType(EventType.START).eventTime(time(d.startedAt()))
                    .run(ol.newRunBuilder().runId(id).facets(ol.newRunFacetsBuilder().parent(parent).build()).build())
                    .job(job).inputs(inputs).outputs(List.of()).build());
            EventType end = switch (e.status()) {
                case "completed" -> EventType.COMPLETE;
                case "failed" -> EventType.FAIL;
                default -> null; // still running: only its START is known
            };
            if (end != null && d.finishedAt() != null) {
                OpenLineage.RunFacetsBuilder facets = ol.newRunFacetsBuilder().parent(parent);
                if (end == EventType.FAIL && d.error() != null) {
                    facets.errorMessage(ol.newErrorMessageRunFacet(d.error(), "Java", null));
                }
                events.add(ol.newRunEventBuilder().eventType(end).eventTime(time(d.finishedAt()))
                        .run(ol.newRunBuilder().runId(id).facets(facets.build()).build())
                        .job(job).inputs(inputs).outputs(outputs).build());
            }
        }

        EventType runEnd = switch (run.status()) {
            case "completed" -> EventType.COMPLETE;
            case "failed" -> EventType.FAIL;
            case "cancelled" -> EventType.ABORT;
            default -> null;
        };
        if (runEnd != null && run.finishedAt() != null) {
            events.add(ol.newRunEventBuilder().eventType(runEnd).eventTime(time(run.finishedAt()))
                    .run(ol.newRunBuilder().runId(runUuid).build())
                    .job(job(ol, namespace, RUN_JOB, "RUN", "SALMON run " + run.workflowId()))
                    .inputs(List.of()).outputs(List.of()).build());
        }
        return events;
    }

    /** Emits the events to a file (one JSON event per line, appended) or an http(s) OpenLineage endpoint. */
    static int emit(List<RunEvent> events, String target) {
        Transport transport;
        if (target.startsWith("http://") || target.startsWith("https://")) {
            HttpConfig config = new HttpConfig();
            config.setUrl(URI.create(target));
            config.setTimeoutInMillis(10_000);
            transport = new HttpTransport(config);
        } else {
            transport = new FileTransport(new FileConfig(Path.of(target).toAbsolutePath().toString()));
        }
        // A private registry: the client's gauges must not leak into the worker's Prometheus metrics.
        OpenLineageClient client = OpenLineageClient.builder().transport(transport)
                .meterRegistry(new SimpleMeterRegistry()).build();
        try {
            for (RunEvent event : events) {
                client.emit(event);
            }
        } catch (OpenLineageClientException e) {
            throw new IllegalStateException("OpenLineage export to " + target + " failed: " + e.getMessage(), e);
        } finally {
            close(client);
        }
        return events.size();
    }

    private static void close(OpenLineageClient client) {
        try {
            client.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("closing the OpenLineage client failed: " + e.getMessage(), e);
        }
    }

    private static OpenLineage.Job job(OpenLineage ol, String namespace, String name, String type, String doc) {
        return ol.newJobBuilder().namespace(namespace).name(name).facets(ol.newJobFacetsBuilder()
                .jobType(ol.newJobTypeJobFacet("BATCH", "SALMON_RUN", type, null))
                .documentation(ol.newDocumentationJobFacet(doc, null)).build()).build();
    }

    private static OpenLineage.DatasetFacets facets(OpenLineage ol, Artifact a) {
        return ol.newDatasetFacetsBuilder().version(ol.newDatasetVersionDatasetFacet(a.sha256()))
                .documentation(ol.newDocumentationDatasetFacet(a.kind() + " artifact #" + a.id() + ", " + a.bytes()
                        + " bytes, " + a.uri(), null)).build();
    }

    /** The dataset name: kind and content hash, stable across runs and machines. */
    static String name(Artifact a) {
        return a.kind() + "/" + a.sha256();
    }

    static UUID uuid(String key) {
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
    }

    private static ZonedDateTime time(Instant t) {
        return (t == null ? Instant.EPOCH : t).atZone(ZoneOffset.UTC);
    }
}
