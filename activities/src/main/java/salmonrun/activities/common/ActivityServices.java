package salmonrun.activities.common;

import salmonrun.activities.lineage.ArtifactStore;
import salmonrun.activities.lineage.AuditLog;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.lineage.LineageRepository;

/** What every activity implementation works with: the lineage database, artifact store, audit log, identity. */
public record ActivityServices(Database db, ArtifactStore store, LineageRepository lineage, AuditLog audit,
                               String codeVersion) {

    /** Services over a connected database and a store. */
    public static ActivityServices of(Database db, ArtifactStore store) {
        return new ActivityServices(db, store, new LineageRepository(db, store), new AuditLog(db),
                CodeVersion.current());
    }
}
