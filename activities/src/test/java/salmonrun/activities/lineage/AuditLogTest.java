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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuditLogTest {
    // One database for the class; tests that tamper restore the rows they touched.
    private static Database db;
    private static AuditLog log;

    @BeforeAll
    static void setUp() {
        db = TestDatabases.createFresh();
        log = new AuditLog(db);
    }

    @AfterAll
    static void tearDown() {
        TestDatabases.drop(db);
    }

    @AfterEach
    void chainIsIntactAfterEveryTest() {
        ChainCheck check = log.verify();
        assertTrue(check.ok(), "a test left the chain broken: " + check);
    }

    @Test
    void appendsChainAndVerify() {
        long before = log.events(null).size();
        AuditEvent first = log.append(null, "alice", "principles.import", "initial set", payload("set", 1));
        AuditEvent second = log.append(null, "bob", "ppo.intervene", "too verbose", payload("weight", 0.5));
        assertEquals(before == 0 ? AuditLog.GENESIS : log.events(null).get((int) before - 1).hash(), first.prevHash());
        assertEquals(first.hash(), second.prevHash());
        ChainCheck check = log.verify();
        assertTrue(check.ok(), check.toString());
        assertEquals(before + 2, check.eventsChecked());
        assertEquals(second.hash(), check.headHash());
        List<AuditEvent> events = log.events(null);
        assertEquals(List.of(first, second), events.subList(events.size() - 2, events.size()),
                "rows read back equal what append returned");
        assertEquals(first, log.event(first.id()).orElseThrow());
    }

    @Test
    void firstEventLinksToGenesis() {
        log.append(null, "alice", "any", null, null);
        assertEquals(AuditLog.GENESIS, log.events(null).get(0).prevHash());
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
    }

    @Test
    void updatesDeletesAndTruncatesAreRefusedByTriggers() {
        log.append(null, "alice", "a", null, payload("x", 1));
        for (String sql : List.of("UPDATE audit_event SET actor = 'mallory'", "DELETE FROM audit_event",
                "TRUNCATE audit_event")) {
            SQLException e = assertThrows(SQLException.class, () -> exec(sql));
            assertTrue(e.getMessage().contains("append-only"), sql + ": " + e.getMessage());
        }
    }

    @Test
    void verifyFindsTheFirstTamperedRow() throws SQLException {
        log.append(null, "alice", "a", "first", payload("x", 1));
        AuditEvent victim = log.append(null, "alice", "b", "second", payload("x", 2));
        log.append(null, "alice", "c", "third", payload("x", 3));
        // As superuser, bypass the append-only trigger the way an attacker with DB access could.
        asSuperuser("UPDATE audit_event SET reason = 'rewritten' WHERE id = " + victim.id());
        ChainCheck check = log.verify();
        assertFalse(check.ok());
        assertEquals(victim.id(), check.firstBadId());
        assertTrue(check.problem().contains("does not match"), check.problem());
        asSuperuser("UPDATE audit_event SET reason = 'second' WHERE id = " + victim.id());
    }

    @Test
    void verifyFindsADeletedRowByItsSuccessorsBrokenLink() throws SQLException {
        log.append(null, "alice", "a", null, payload("x", 1));
        AuditEvent deleted = log.append(null, "alice", "b", null, payload("x", 2));
        AuditEvent next = log.append(null, "alice", "c", null, payload("x", 3));
        asSuperuser("CREATE TABLE deleted_event AS SELECT * FROM audit_event WHERE id = " + deleted.id());
        asSuperuser("DELETE FROM audit_event WHERE id = " + deleted.id());
        ChainCheck check = log.verify();
        assertFalse(check.ok());
        assertEquals(next.id(), check.firstBadId());
        assertTrue(check.problem().contains("does not link"), check.problem());
        exec("INSERT INTO audit_event SELECT * FROM deleted_event");
        exec("DROP TABLE deleted_event");
    }

    @Test
    void eventsOfARunAndUnknownRunIsNamed() {
        long run = new LineageRepository(db, new ArtifactStore(java.nio.file.Path.of("/nonexistent")))
                .upsertRun("wf-1", payload("preset", 1), "alice");
        log.append(run, "alice", "run.start", null, null);
        log.append(null, "bob", "other", null, null);
        assertEquals(1, log.events(run).size());
        assertTrue(log.events(null).size() >= 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> log.append(run + 999, "alice", "x", null, null));
        assertTrue(e.getMessage().contains(String.valueOf(run + 999)), e.getMessage());
        assertTrue(log.verify().ok(), "a refused append leaves the chain intact");
    }

    /** Runs a statement with the append-only trigger disabled, as an attacker with superuser access could. */
    private static void asSuperuser(String sql) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update");
            try {
                s.execute(sql);
            } finally {
                s.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update");
            }
        }
    }

    private static void exec(String sql) throws SQLException {
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
