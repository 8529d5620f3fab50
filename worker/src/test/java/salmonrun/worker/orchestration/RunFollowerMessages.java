package salmonrun.worker.orchestration;

/** The innermost message of a failure chain (tests compare it with what an operator would read). */
final class RunFollowerMessages {
    private RunFollowerMessages() {}

    static String root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t instanceof io.temporal.failure.ApplicationFailure af ? af.getOriginalMessage() : t.getMessage();
    }
}
