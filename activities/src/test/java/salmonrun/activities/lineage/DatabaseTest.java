package salmonrun.activities.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatabaseTest {

    @Test
    void migratesAnEmptyDatabaseAndIsIdempotent() throws Exception {
        Database db = TestDatabases.createFresh();
        try {
            Set<String> tables = new HashSet<>();
            try (Connection c = db.connection();
                 ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertTrue(tables.containsAll(Set.of("principle_set", "principle", "exemplar_set", "exemplar",
                    "run", "phase_execution", "artifact", "artifact_input", "audit_event")), tables.toString());
            assertEquals(0, db.migrate().migrationsExecuted, "a second migrate must apply nothing");
        } finally {
            TestDatabases.drop(db);
        }
    }

    @Test
    void unreachableServerNamesWhatWasTried() {
        DbConfig bad = new DbConfig("jdbc:postgresql://127.0.0.1:1/salmon", "postgres", "");
        var e = org.junit.jupiter.api.Assertions.assertThrows(DatabaseUnreachableException.class,
                () -> Database.connect(bad));
        assertTrue(e.getMessage().contains("127.0.0.1:1") && e.getMessage().contains("SALMON_DB_URL"),
                e.getMessage());
    }
}
