package salmonrun.workflows.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The progress/pause handlers every phase workflow shares. */
public abstract class PhaseWorkflowBase implements PhaseWorkflow {
    protected final PhaseState state;

    protected PhaseWorkflowBase(String phase) {
        this.state = new PhaseState(phase);
    }

    /** The part of a phase's input that changes its outputs: config plus fan-out and seed. */
    protected static JsonNode keyConfig(JsonNode config, int shards, long seed) {
        ObjectNode key = JsonNodeFactory.instance.objectNode();
        key.set("config", config);
        key.put("shards", shards);
        key.put("seed", seed);
        return key;
    }

    @Override
    public PhaseProgress progress() {
        return state.progress();
    }

    @Override
    public boolean paused() {
        return state.paused();
    }

    @Override
    public void pause(String reason) {
        state.pause(reason);
    }

    @Override
    public void resume() {
        state.resume();
    }

    @Override
    public void report(PhaseProgress progress) {
        state.report(progress);
    }
}
