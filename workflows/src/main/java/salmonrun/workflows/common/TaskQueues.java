package salmonrun.workflows.common;

/** Task-queue names by worker kind; every worker and client uses these constants. */
public final class TaskQueues {
    /** Workflows and bookkeeping activities (lineage rows, validation, aggregation): any CPU worker. */
    public static final String CONTROL = "salmon-control";
    /** Generation, judging and training: the workers that hold a model (GPU workers in real deployments). */
    public static final String MODEL = "salmon-model";

    private TaskQueues() {}

    /** The queue for a short name as given on the command line ("control" or "model"). */
    public static String byName(String name) {
        return switch (name.trim()) {
            case "control", CONTROL -> CONTROL;
            case "model", MODEL -> MODEL;
            default -> throw new IllegalArgumentException(
                    "unknown task queue '" + name + "': expected control or model");
        };
    }
}
