package salmonrun.activities.lineage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {
    @TempDir
    Path tmp;

    private ArtifactStore store() {
        return new ArtifactStore(tmp.resolve("store"));
    }

    @Test
    void putFileStoresContentUnderItsSha256() throws IOException {
        Path source = Files.writeString(tmp.resolve("data.jsonl"), "{\"a\":1}\n");
        StoredObject o = store().putFile(source);
        // sha256 of the bytes, computed independently of the store
        assertEquals(Hashes.sha256Hex(Files.readAllBytes(source)), o.sha256());
        assertEquals(8, o.bytes());
        assertFalse(o.directory());
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(store().resolve(o.sha256())));
        store().verify(o.sha256());
        assertEquals(o, store().putBytes("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8)), "same bytes, same object");
    }

    @Test
    void modifiedFileAfterPutIsDetectedNamingTheFile() throws IOException {
        StoredObject o = store().putBytes("the original bytes".getBytes(StandardCharsets.UTF_8));
        Path stored = store().resolve(o.sha256());
        stored.toFile().setWritable(true);
        Files.writeString(stored, "the original bytez");
        ArtifactCorruptException e = assertThrows(ArtifactCorruptException.class, () -> store().verify(o.sha256()));
        assertEquals(stored, e.file());
        assertTrue(e.getMessage().contains(stored.toString()), e.getMessage());
    }

    @Test
    void truncatedFileIsDetected() throws IOException {
        StoredObject o = store().putBytes(new byte[10_000]);
        Path stored = store().resolve(o.sha256());
        stored.toFile().setWritable(true);
        try (var ch = Files.newByteChannel(stored, StandardOpenOption.WRITE)) {
            ch.truncate(4_000);
        }
        ArtifactCorruptException e = assertThrows(ArtifactCorruptException.class, () -> store().verify(o.sha256()));
        assertTrue(e.getMessage().contains("4000 bytes"), e.getMessage());
    }

    @Test
    void failedPutLeavesNoPartialFile() throws IOException {
        ArtifactStore store = store();
        InputStream failsMidway = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served++ >= 100_000) {
                    throw new IOException("disk went away");
                }
                return 'x';
            }
        };
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> store.putStream(failsMidway));
        assertTrue(e.getMessage().contains("disk went away"), e.getMessage());
        assertEquals(List.of(), filesUnder(store.root()), "no blob and no temp file may remain");
    }

    @Test
    void directoriesAreHashedByManifestAndVerified() throws IOException {
        Path ckpt = Files.createDirectories(tmp.resolve("ckpt"));
        Files.writeString(ckpt.resolve("config.json"), "{\"d\":8}");
        Files.write(ckpt.resolve("model.safetensors"), new byte[] {1, 2, 3, 4});
        Files.createDirectories(ckpt.resolve("state"));
        Files.writeString(ckpt.resolve("state/optimizer.bin"), "adam");
        StoredObject o = store().putDirectory(ckpt);
        assertTrue(o.directory());
        assertEquals(7 + 4 + 4, o.bytes());
        String manifest = "config.json\t" + Hashes.sha256Hex("{\"d\":8}") + "\n"
                + "model.safetensors\t" + Hashes.sha256Hex(new byte[] {1, 2, 3, 4}) + "\n"
                + "state/optimizer.bin\t" + Hashes.sha256Hex("adam") + "\n";
        assertEquals(Hashes.sha256Hex(manifest), o.sha256());
        Path stored = store().resolve(o.sha256());
        assertTrue(Files.isDirectory(stored));
        assertEquals("adam", Files.readString(stored.resolve("state/optimizer.bin")));
        store().verify(o.sha256());
        assertEquals(o, store().putDirectory(ckpt), "putting the same directory again is a no-op");

        Path weights = stored.resolve("model.safetensors");
        weights.toFile().setWritable(true);
        Files.write(weights, new byte[] {1, 2, 3});
        ArtifactCorruptException e = assertThrows(ArtifactCorruptException.class, () -> store().verify(o.sha256()));
        assertTrue(e.getMessage().contains(weights.toString()), e.getMessage());

        assertEquals(o, store().putDirectory(ckpt), "a fresh put repairs the corrupted copy");
        store().verify(o.sha256());
    }

    @Test
    void missingObjectAndBadHashAreNamed() {
        String absent = "ab".repeat(32);
        StoreObjectMissingException e = assertThrows(StoreObjectMissingException.class, () -> store().resolve(absent));
        assertTrue(e.getMessage().contains(absent));
        assertThrows(IllegalArgumentException.class, () -> store().resolve("not-a-hash"));
    }

    private static List<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
