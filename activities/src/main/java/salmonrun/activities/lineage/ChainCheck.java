package salmonrun.activities.lineage;

/**
 * The result of {@link AuditLog#verify()}: ok, or the first row whose link or hash does not match
 * and why. headHash is the hash of the last row that verified (keep it elsewhere to detect later
 * removal of rows at the end of the log).
 */
public record ChainCheck(boolean ok, long eventsChecked, Long firstBadId, String problem, String headHash) {

    static ChainCheck good(long checked, String headHash) {
        return new ChainCheck(true, checked, null, null, headHash);
    }

    static ChainCheck broken(long checked, long id, String problem, String lastGoodHash) {
        return new ChainCheck(false, checked, id, problem, lastGoodHash);
    }
}
