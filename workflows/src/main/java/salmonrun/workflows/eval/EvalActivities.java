package salmonrun.workflows.eval;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import salmonrun.workflows.common.StepCall;
import salmonrun.workflows.common.StepResult;

/** Evaluation against the sandbox grader. */
@ActivityInterface
public interface EvalActivities {

    /** Evaluates one model (input {@code model}, model queue); output {@code evaluation}. */
    @ActivityMethod(name = "EvalModel")
    StepResult evaluate(StepCall call);

    /**
     * Evaluates the model (input {@code model}, the base) answering with the self-align prompt of the call's principle
     * and exemplar sets in context (model queue); output {@code evaluation}.
     */
    @ActivityMethod(name = "EvalModelWithPrinciples")
    StepResult evaluateWithPrinciples(StepCall call);

    /** Combines per-model evaluations (inputs {@code evaluation:<label>}, control queue); output {@code evaluation}. */
    @ActivityMethod(name = "EvalSummarize")
    StepResult summarize(StepCall call);
}
