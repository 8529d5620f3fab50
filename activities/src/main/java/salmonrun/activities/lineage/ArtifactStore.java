package salmonrun.activities.lineage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Content-addressed files under a root (SALMON_STORE, default ~/.salmon/store).
 *
 * <p>Layout: {@code blobs/ab/<sha256>} for files, {@code trees/ab/<sha256>} for directories
 * (checkpoints) whose hash is the sha256 of the sorted manifest
 * {@code "<relative path>\t<file sha256>\n"}, and {@code tmp/} for writes in progress. Every
 * put writes into {@code tmp/} while hashing and then renames into place, so a reader never
 * sees a partial object and a failed put leaves nothing behind.
 */
public final class ArtifactStore {
    private static final int BUFFER = 1 << 16;
    private final Path root;

    /** A store rooted at the given directory (created on first put). */
    public ArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The store at SALMON_STORE, or ~/.salmon/store. */
    public static ArtifactStore fromEnv() {
        return fromEnv(System.getenv());
    }

    /** The store at the environment's SALMON_STORE, or ~/.salmon/store. */
    public static ArtifactStore fromEnv(java.util.Map<String, String> env) {
        String configured = env.get("SALMON_STORE");
        Path root = configured == null || configured.isBlank()
                ? Path.of(System.getProperty("user.home"), ".salmon", "store")
                : Path.of(configured);
        return new ArtifactStore(root);
    }

    /** The store's root directory. */
    public Path root() {
        return root;
    }

    /** Copies a regular file in, hashing while writing; temp file + atomic rename. */
    public StoredObject putFile(Path source) {
        if (!Files.isRegularFile(source)) {
            throw new IllegalArgumentException("not a regular file: " + source);
        }
        try (InputStream in = Files.newInputStream(source)) {
            return putStream(in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + source + " into the artifact store", e);
        }
    }

    /** Stores the bytes. */
    public StoredObject putBytes(byte[] bytes) {
        return putStream(new java.io.ByteArrayInputStream(bytes));
    }

    /** Stores everything the stream yields; if reading fails, nothing is stored and the temp file is removed. */
    public StoredObject putStream(InputStream in) {
        Path tmp = null;
        try {
            tmp = newTempFile();
            String sha;
            long bytes;
            MessageDigest digest = Hashes.sha256();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream out = new DigestOutputStream(Channels.newOutputStream(ch), digest)) {
                bytes = in.transferTo(out);
                out.flush();
                ch.force(true);
            }
            sha = Hashes.hex(digest.digest());
            Path target = blobPath(sha);
            Files.createDirectories(target.getParent());
            // rename over an existing blob is safe: same content, and it repairs a corrupted copy
            moveAtomically(tmp, target);
            tmp = null;
            target.toFile().setReadOnly();
            return new StoredObject(sha, bytes, target.toUri().toString(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("artifact store put failed under " + root + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Copies a directory (a checkpoint) in. Its hash is the sha256 of the sorted manifest
     * {@code "<relative path>\t<file sha256>\n"} over its regular files; it is stored as a directory.
     */
    public StoredObject putDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("not a directory: " + dir);
        }
        Path tmpDir = null;
        try {
            tmpDir = newTempDirectory();
            TreeMap<String, String> manifest = new TreeMap<>();
            long total = 0;
            for (Path file : regularFiles(dir)) {
                String rel = relativeName(dir, file);
                Path copy = tmpDir.resolve(rel);
                Files.createDirectories(copy.getParent());
                MessageDigest digest = Hashes.sha256();
                try (InputStream in = Files.newInputStream(file);
                     FileChannel ch = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                     OutputStream out = new DigestOutputStream(Channels.newOutputStream(ch), digest)) {
                    total += in.transferTo(out);
                    out.flush();
                    ch.force(true);
                }
                manifest.put(rel, Hashes.hex(digest.digest()));
            }
            String sha = Hashes.sha256Hex(manifestText(manifest));
            Path target = treePath(sha);
            Files.createDirectories(target.getParent());
            writeManifestSidecar(sha, manifest);
            if (Files.isDirectory(target)) {
                if (manifestOf(target).equals(manifest)) {
                    return new StoredObject(sha, total, target.toUri().toString(), true);
                }
                // a corrupted copy is there: move it aside and put the good one in its place
                Path aside = root.resolve("tmp").resolve("corrupt-" + sha + "-" + System.nanoTime());
                moveAtomically(target, aside);
                deleteQuietly(aside);
            }
            try {
                for (Path file : regularFiles(tmpDir)) {
                    file.toFile().setReadOnly(); // a hint against accidental edits; the hash check is the guard
                }
                moveAtomically(tmpDir, target);
                tmpDir = null;
            } catch (DirectoryNotEmptyException | FileAlreadyExistsException raced) {
                // another writer put the same content first; theirs is as good as ours
            }
            return new StoredObject(sha, total, target.toUri().toString(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("artifact store putDirectory failed for " + dir + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmpDir);
        }
    }

    /** The stored file or directory with this sha256; throws StoreObjectMissingException if absent. */
    public Path resolve(String sha256) {
        Hashes.requireSha256(sha256, "sha256");
        Path blob = blobPath(sha256);
        if (Files.isRegularFile(blob)) {
            return blob;
        }
        Path tree = treePath(sha256);
        if (Files.isDirectory(tree)) {
            return tree;
        }
        throw new StoreObjectMissingException(sha256, root);
    }

    /** Whether the store holds an object with this sha256 (without checking its bytes). */
    public boolean contains(String sha256) {
        return Hashes.isSha256(sha256)
                && (Files.isRegularFile(blobPath(sha256)) || Files.isDirectory(treePath(sha256)));
    }

    /** Rehashes the stored object; throws ArtifactCorruptException naming the file if its bytes changed. */
    public void verify(String sha256) {
        describe(sha256);
    }

    /** Rehashes the stored object and returns its description (size, uri, kind); throws if corrupt. */
    public StoredObject describe(String sha256) {
        Path path = resolve(sha256);
        try {
            if (Files.isDirectory(path)) {
                TreeMap<String, String> manifest = manifestOf(path);
                String actual = Hashes.sha256Hex(manifestText(manifest));
                if (!actual.equals(sha256)) {
                    throw new ArtifactCorruptException(path, sha256, "directory contents hash to " + actual
                            + firstChangedFile(path, manifest));
                }
                long total = 0;
                for (String rel : manifest.keySet()) {
                    total += Files.size(path.resolve(rel));
                }
                return new StoredObject(sha256, total, path.toUri().toString(), true);
            }
            MessageDigest digest = Hashes.sha256();
            long size;
            try (InputStream in = Files.newInputStream(path)) {
                size = hashStream(in, digest);
            }
            String actual = Hashes.hex(digest.digest());
            if (!actual.equals(sha256)) {
                throw new ArtifactCorruptException(path, sha256, "bytes hash to " + actual + " (" + size + " bytes)");
            }
            return new StoredObject(sha256, size, path.toUri().toString(), false);
        } catch (IOException e) {
            throw new ArtifactCorruptException(path, sha256, "unreadable: " + e.getMessage());
        }
    }

    /** Names the first file that differs from the manifest recorded at put time. */
    private String firstChangedFile(Path tree, Map<String, String> actual) throws IOException {
        Path sidecar = manifestSidecar(tree.getFileName().toString());
        if (!Files.isRegularFile(sidecar)) {
            return " (no recorded manifest to name the changed file)";
        }
        Map<String, String> recorded = new TreeMap<>();
        for (String line : Files.readAllLines(sidecar, StandardCharsets.UTF_8)) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                recorded.put(line.substring(0, tab), line.substring(tab + 1));
            }
        }
        for (Map.Entry<String, String> e : recorded.entrySet()) {
            String now = actual.get(e.getKey());
            if (now == null) {
                return "; file " + tree.resolve(e.getKey()) + " is missing";
            }
            if (!now.equals(e.getValue())) {
                return "; file " + tree.resolve(e.getKey()) + " changed (hashes to " + now + ", expected " + e.getValue() + ")";
            }
        }
        for (String rel : actual.keySet()) {
            if (!recorded.containsKey(rel)) {
                return "; file " + tree.resolve(rel) + " was added";
            }
        }
        return "";
    }

    private Path manifestSidecar(String sha) {
        return root.resolve("trees").resolve(sha.substring(0, 2)).resolve(sha + ".manifest");
    }

    private void writeManifestSidecar(String sha, Map<String, String> manifest) throws IOException {
        Path tmp = newTempFile();
        try {
            Files.write(tmp, utf8(manifestText(manifest)));
            moveAtomically(tmp, manifestSidecar(sha));
            tmp = null;
        } finally {
            deleteQuietly(tmp);
        }
    }

    private Path blobPath(String sha) {
        return root.resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha);
    }

    private Path treePath(String sha) {
        return root.resolve("trees").resolve(sha.substring(0, 2)).resolve(sha);
    }

    private Path newTempFile() throws IOException {
        Path tmp = root.resolve("tmp");
        Files.createDirectories(tmp);
        return Files.createTempFile(tmp, "put-", ".part");
    }

    private Path newTempDirectory() throws IOException {
        Path tmp = root.resolve("tmp");
        Files.createDirectories(tmp);
        return Files.createTempDirectory(tmp, "putdir-");
    }

    private static long hashStream(InputStream in, MessageDigest digest) throws IOException {
        byte[] buf = new byte[BUFFER];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            digest.update(buf, 0, n);
            total += n;
        }
        return total;
    }

    /** Relative path -> file sha256 for every regular file under dir. */
    static TreeMap<String, String> manifestOf(Path dir) throws IOException {
        TreeMap<String, String> manifest = new TreeMap<>();
        for (Path file : regularFiles(dir)) {
            MessageDigest digest = Hashes.sha256();
            try (InputStream in = Files.newInputStream(file)) {
                hashStream(in, digest);
            }
            manifest.put(relativeName(dir, file), Hashes.hex(digest.digest()));
        }
        return manifest;
    }

    static String manifestText(Map<String, String> manifest) {
        StringBuilder sb = new StringBuilder();
        manifest.forEach((rel, sha) -> sb.append(rel).append('\t').append(sha).append('\n'));
        return sb.toString();
    }

    private static List<Path> regularFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = new ArrayList<>(walk.filter(Files::isRegularFile).toList());
            files.sort(Comparator.comparing(p -> relativeName(dir, p)));
            return files;
        }
    }

    private static String relativeName(Path dir, Path file) {
        String rel = dir.relativize(file).toString().replace('\\', '/');
        if (rel.indexOf('\t') >= 0 || rel.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("file names in a stored directory may not contain tabs or newlines: " + file);
        }
        return rel;
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the artifact store needs atomic renames inside " + to.getParent(), e);
        }
    }

    private static void deleteQuietly(Path path) {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: a leftover in tmp/ is harmless and never addressed by hash
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
