package salmonrun.activities.principles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.lineage.TestDatabases;

/** The principle and exemplar repositories against a fresh PostgreSQL database. */
class PrincipleRepositoryTest {
    static Database db;
    static PrincipleRepository principles;
    static ExemplarRepository exemplars;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabases.createFresh();
        principles = new PrincipleRepository(db);
        exemplars = new ExemplarRepository(db);
    }

    @AfterAll
    static void dropDatabase() {
        TestDatabases.drop(db);
    }

    static PrincipleSet set(String name, String definition) {
        return PrincipleSet.of(name, List.of(
                new Principle("Brief", definition, null, 1, Role.SELF_ALIGN),
                new Principle("Brief", "The answer is short.", "The answer is long.", 1, Role.LABELLING),
                new Principle("Honest", "The response is true.", null, 3, Role.RL)));
    }

    static long count(String sql) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void importingTheSameContentTwiceReturnsTheSameId() throws Exception {
        PrincipleSet set = DefaultPrinciples.principles();
        ImportResult first = principles.importSet(set, "test", "first import");
        ImportResult again = principles.importSet(set, "someone-else", "second import");
        assertTrue(first.created());
        assertFalse(again.created());
        assertEquals(first.id(), again.id());
        assertEquals(set.contentHash(), first.contentHash());
        assertEquals(1, count("SELECT count(*) FROM principle_set WHERE content_hash = '" + set.contentHash() + "'"));
        assertEquals(set.principles().size(),
                count("SELECT count(*) FROM principle WHERE principle_set_id = " + first.id()));

        PrincipleSet loaded = principles.find(first.id()).orElseThrow();
        assertEquals(set.withId(first.id()), loaded);
        assertEquals(loaded, principles.findByHash(set.contentHash()).orElseThrow());
        PrincipleSetSummary summary = principles.summary(first.id()).orElseThrow();
        assertEquals("test", summary.createdBy());
        assertEquals("first import", summary.note(), "the first import's note is kept");
        assertEquals(17, summary.count(Role.SELF_ALIGN));
        assertEquals(3, summary.count(Role.INTERVENTION));
        assertTrue(principles.find(987654).isEmpty());

        // A repeated import burns no id: the next version gets the next number.
        ImportResult next = principles.importSet(set("after-repeat", "Next."), "test", null);
        assertEquals(first.id() + 1, next.id());
    }

    @Test
    void parentIsTheNewestSetWithTheSameName() {
        ImportResult v1 = principles.importSet(set("lineage-test", "Keep it short."), "test", null);
        ImportResult v2 = principles.importSet(set("lineage-test", "Keep it very short."), "test", null);
        ImportResult v3 = principles.importSet(set("lineage-test", "Be brief."), "test", null);
        ImportResult other = principles.importSet(set("other-name", "Keep it short."), "test", null);
        assertNull(v1.parentId());
        assertEquals(v1.id(), v2.parentId());
        assertEquals(v2.id(), v3.parentId());
        assertNull(other.parentId(), "another name starts its own history");
        assertEquals(v2.id(), principles.summary(v3.id()).orElseThrow().parentId());
        // Re-importing v1's content returns v1 as it was, not a new child of v3.
        ImportResult v1again = principles.importSet(set("lineage-test", "Keep it short."), "test", null);
        assertEquals(v1.id(), v1again.id());
        assertNull(v1again.parentId());
    }

    @Test
    void concurrentImportsOfTheSameContentMakeOneRow() throws Exception {
        PrincipleSet set = set("concurrent", "Say it once.");
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<ImportResult>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String who = "worker-" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    return principles.importSet(set, who, null);
                }));
            }
            start.countDown();
            Set<Long> ids = new HashSet<>();
            int created = 0;
            for (Future<ImportResult> f : results) {
                ImportResult r = f.get(60, TimeUnit.SECONDS);
                ids.add(r.id());
                created += r.created() ? 1 : 0;
            }
            assertEquals(1, ids.size(), ids.toString());
            assertEquals(1, created, "exactly one import created the row");
            long id = ids.iterator().next();
            assertEquals(1, count("SELECT count(*) FROM principle_set WHERE name = 'concurrent'"));
            assertEquals(3, count("SELECT count(*) FROM principle WHERE principle_set_id = " + id));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentImportsOfTheSameExemplarsMakeOneRow() throws Exception {
        ExemplarSet set = DefaultPrinciples.exemplars();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ImportResult>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return exemplars.importSet(set, "test");
                }));
            }
            start.countDown();
            Set<Long> ids = new HashSet<>();
            for (Future<ImportResult> f : results) {
                ids.add(f.get(60, TimeUnit.SECONDS).id());
            }
            assertEquals(1, ids.size());
            long id = ids.iterator().next();
            assertEquals(1, count("SELECT count(*) FROM exemplar_set WHERE content_hash = '" + set.contentHash() + "'"));
            assertEquals(6, count("SELECT count(*) FROM exemplar WHERE exemplar_set_id = " + id));
            assertEquals(set.withId(id), exemplars.find(id).orElseThrow());
            assertEquals(set.withId(id), exemplars.findByHash(set.contentHash()).orElseThrow());
            assertFalse(exemplars.importSet(set, "again").created());
            ExemplarSetSummary s = exemplars.summary(id).orElseThrow();
            assertEquals(6, s.exemplars());
            assertTrue(exemplars.list().stream().anyMatch(x -> x.id() == id));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRowEditedBehindTheRepositorysBackIsDetected() throws Exception {
        ImportResult r = principles.importSet(set("tamper-test", "Do not touch."), "test", null);
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE principle SET weight = 99 WHERE principle_set_id = " + r.id() + " AND role = 'rl'");
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> principles.find(r.id()));
        assertTrue(e.getMessage().contains("was altered in the database"), e.getMessage());
    }

    @Test
    void resolvesIdsAndHashPrefixes() {
        ImportResult r = principles.importSet(set("resolve-test", "Find me."), "test", null);
        assertEquals(r.id(), principles.resolve(Long.toString(r.id())).orElseThrow());
        assertEquals(r.id(), principles.resolve(r.contentHash().substring(0, 10)).orElseThrow());
        assertEquals(r.id(), principles.resolve(r.contentHash().toUpperCase()).orElseThrow());
        assertTrue(principles.resolve("999999").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> principles.resolve("latest"));
    }

    @Test
    void listShowsEveryStoredSetOldestFirst() {
        ImportResult a = principles.importSet(set("list-a", "One."), "test", null);
        ImportResult b = principles.importSet(set("list-b", "Two."), "test", "second");
        List<PrincipleSetSummary> all = principles.list();
        List<Long> ids = all.stream().map(PrincipleSetSummary::id).toList();
        assertTrue(ids.indexOf(a.id()) >= 0 && ids.indexOf(a.id()) < ids.indexOf(b.id()), ids.toString());
        PrincipleSetSummary sb = all.get(ids.indexOf(b.id()));
        assertEquals("list-b", sb.name());
        assertEquals("second", sb.note());
        assertEquals(1, sb.count(Role.SELF_ALIGN));
        assertEquals(1, sb.count(Role.LABELLING));
        assertEquals(1, sb.count(Role.RL));
        assertEquals(0, sb.count(Role.INTERVENTION));
    }

    @Test
    void aFailureHalfwayThroughAnImportLeavesNoRows() throws Exception {
        // A real database error after the set row is written: a trigger refusing one principle row.
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("CREATE FUNCTION refuse_boom() RETURNS trigger AS $$ BEGIN"
                    + " IF NEW.name = 'Boom' THEN RAISE EXCEPTION 'boom refused'; END IF; RETURN NEW; END;"
                    + " $$ LANGUAGE plpgsql");
            s.execute("CREATE TRIGGER refuse_boom BEFORE INSERT ON principle FOR EACH ROW EXECUTE FUNCTION refuse_boom()");
        }
        try {
            PrincipleSet set = PrincipleSet.of("halfway", List.of(
                    new Principle("Fine", "This one is fine.", null, 1, Role.RL),
                    new Principle("Boom", "This one is refused.", null, 1, Role.RL)));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> principles.importSet(set, "test", null));
            assertTrue(e.getMessage().contains("boom refused"), e.getMessage());
            assertEquals(0, count("SELECT count(*) FROM principle_set WHERE name = 'halfway'"));
            assertEquals(0, count("SELECT count(*) FROM principle WHERE name = 'Fine'"));
        } finally {
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER refuse_boom ON principle");
                s.execute("DROP FUNCTION refuse_boom()");
            }
        }
    }
}
