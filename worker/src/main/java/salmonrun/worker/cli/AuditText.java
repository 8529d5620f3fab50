package salmonrun.worker.cli;

import salmonrun.activities.lineage.AuditEvent;

/** One-line text forms of audit rows for operator output. */
final class AuditText {
    private AuditText() {}

    /** "id=.. at=.. actor=.. action=.. run=.. reason=.. payload=.. hash=.. prev=..". */
    static String describe(AuditEvent e) {
        return "id=" + e.id() + " at=" + e.createdAt() + " actor=" + e.actor() + " action=" + e.action()
                + " run=" + (e.runId() == null ? "-" : e.runId())
                + " reason=" + (e.reason() == null ? "-" : '"' + e.reason() + '"')
                + " payload=" + e.payload() + " hash=" + e.hash() + " prev=" + e.prevHash();
    }
}
