package salmonrun.activities.lineage;

/** The result of {@link AuditLog#verify()}: ok, or the first row whose links or hash do not match and why. */
public record ChainCheck(boolean ok, long eventsChecked, Long firstBadId, String problem) {

    static ChainCheck good(long checked) {
        return new ChainCheck(true, checked, null, null);
    }

    static ChainCheck broken(long checked, long id, String problem) {
        return new ChainCheck(false, checked, id, problem);
    }
}
