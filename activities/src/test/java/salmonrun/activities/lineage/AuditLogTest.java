package salmonrun.activities.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditLogTest {
    private Database db;
    private AuditLog log;

    @BeforeEach
    void setUp() {
        db = TestDatabases.createFresh();
        log = new AuditLog(db);
    }

    @AfterEach
    void tearDown() {
        TestDatabases.drop(db);
    }

    @Test
    void appendsChainAndVerify() {
        AuditEvent first = log.append(null, "alice", "principles.import", "initial set", payload("set", 1));
        AuditEvent second = log.append(null, "bob", "ppo.intervene", "too verbose", payload("weight", 0.5));
        assertEquals(AuditLog.GENESIS, first.prevHash());
        assertEquals(first.hash(), second.prevHash());
        ChainCheck check = log.verify();
        assertTrue(check.ok(), check.toString());
        assertEquals(2, check.eventsChecked());
        List<AuditEvent> events = log.events(null);
        assertEquals(List.of(first, second), events, "rows read back equal what append returned");
    }

    @Test
    void concurrentAppendsNeverForkTheChain() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<AuditEvent>> futures = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                int n = i;
                futures.add(pool.submit(() -> log.append(null, "worker-" + (n % 6), "step", null, payload("n", n))));
            }
            Set<String> prevs = new HashSet<>();
            for (Future<AuditEvent> f : futures) {
                assertTrue(prevs.add(f.get().prevHash()), "two events link to the same predecessor");
            }
        } finally {
            pool.shutdownNow();
        }
        ChainCheck check = log.verify();
        assertTrue(check.ok(), check.toString());
        assertEquals(30, check.eventsChecked());
    }

    @Test
    void updatesAreRefusedByTheTrigger() {
        log.append(null, "alice", "a", null, payload("x", 1));
        SQLException e = assertThrows(SQLException.class, () -> exec("UPDATE audit_event SET actor = 'mallory'"));
        assertTrue(e.getMessage().contains("append-only"), e.getMessage());
    }

    @Test
    void verifyFindsTheFirstTamperedRow() throws SQLException {
        log.append(null, "alice", "a", "first", payload("x", 1));
        AuditEvent victim = log.append(null, "alice", "b", "second", payload("x", 2));
        log.append(null, "alice", "c", "third", payload("x", 3));
        // As superuser, bypass the append-only trigger the way an attacker with DB access could.
        exec("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update");
        exec("UPDATE audit_event SET reason = 'rewritten' WHERE id = " + victim.id());
        exec("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update");
        ChainCheck check = log.verify();
        assertFalse(check.ok());
        assertEquals(victim.id(), check.firstBadId());
        assertTrue(check.problem().contains("does not match"), check.problem());
    }

    @Test
    void verifyFindsADeletedRowByItsSuccessorsBrokenLink() throws SQLException {
        log.append(null, "alice", "a", null, payload("x", 1));
        AuditEvent deleted = log.append(null, "alice", "b", null, payload("x", 2));
        AuditEvent next = log.append(null, "alice", "c", null, payload("x", 3));
        exec("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update");
        exec("DELETE FROM audit_event WHERE id = " + deleted.id());
        exec("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update");
        ChainCheck check = log.verify();
        assertFalse(check.ok());
        assertEquals(next.id(), check.firstBadId());
    }

    @Test
    void eventsOfARunAndUnknownRunIsNamed() {
        long run = new LineageRepository(db, new ArtifactStore(java.nio.file.Path.of("/nonexistent")))
                .upsertRun("wf-1", payload("preset", 1), "alice");
        log.append(run, "alice", "run.start", null, null);
        log.append(null, "bob", "other", null, null);
        assertEquals(1, log.events(run).size());
        assertEquals(2, log.events(null).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> log.append(run + 999, "alice", "x", null, null));
        assertTrue(e.getMessage().contains(String.valueOf(run + 999)), e.getMessage());
        assertTrue(log.verify().ok(), "a refused append leaves the chain intact");
    }

    private void exec(String sql) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static ObjectNode payload(String key, double value) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put(key, value);
        n.put("zeta", "z");
        n.put("alpha", 1e20);
        return n;
    }
}
