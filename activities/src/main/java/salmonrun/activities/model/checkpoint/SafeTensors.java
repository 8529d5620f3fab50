package salmonrun.activities.model.checkpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import salmonrun.activities.model.HostTensor;

/**
 * The safetensors format: 8-byte little-endian header length, a JSON header {name: {dtype, shape,
 * data_offsets}}, then raw little-endian data. Reads F32, BF16 and F16 (converted to float32); writes F32.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafeTensors() {
    }

    /** Reads every tensor; a truncated or inconsistent file fails with a message naming the file and tensor. */
    public static Map<String, HostTensor> read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 8) {
                throw new CheckpointException(file + ": truncated safetensors file (" + fileSize + " bytes, no header)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || 8 + headerLen > fileSize) {
                throw new CheckpointException(file + ": truncated or corrupt safetensors header (declares " + headerLen
                        + " header bytes, file has " + fileSize + ")");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8);
            JsonNode header = JSON.readTree(new String(headerBuf.array(), StandardCharsets.UTF_8));
            long dataStart = 8 + headerLen;
            Map<String, HostTensor> out = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = header.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = e.getKey();
                if (name.equals("__metadata__")) {
                    continue;
                }
                out.put(name, readTensor(file, ch, name, e.getValue(), dataStart, fileSize));
            }
            return out;
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read safetensors file: " + e.getMessage(), e);
        }
    }

    private static HostTensor readTensor(Path file, FileChannel ch, String name, JsonNode info, long dataStart,
                                         long fileSize) throws IOException {
        String dtype = info.path("dtype").asText();
        long[] shape = JSON.convertValue(info.path("shape"), long[].class);
        long begin = info.path("data_offsets").path(0).asLong();
        long end = info.path("data_offsets").path(1).asLong();
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        int width = switch (dtype) {
            case "F32" -> 4;
            case "BF16", "F16" -> 2;
            default -> throw new CheckpointException(file + ": tensor " + name + " has unsupported dtype " + dtype
                    + " (supported: F32, BF16, F16)");
        };
        if (end - begin != count * width) {
            throw new CheckpointException(file + ": tensor " + name + " declares " + (end - begin) + " bytes but its "
                    + dtype + " shape " + java.util.Arrays.toString(shape) + " needs " + count * width);
        }
        if (dataStart + end > fileSize) {
            throw new CheckpointException(file + ": truncated: tensor " + name + " ends at byte " + (dataStart + end)
                    + " but the file has " + fileSize + " bytes");
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new CheckpointException(file + ": tensor " + name + " is too large for one host array");
        }
        ByteBuffer raw = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, raw, dataStart + begin);
        raw.flip();
        float[] data = new float[(int) count];
        switch (dtype) {
            case "F32" -> raw.asFloatBuffer().get(data);
            case "BF16" -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = Float.intBitsToFloat((raw.getShort() & 0xffff) << 16);
                }
            }
            default -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = halfToFloat(raw.getShort());
                }
            }
        }
        return new HostTensor(name, shape, data);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    /** IEEE 754 half precision to float. */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal
            return sign == 0 ? v : -v;
        }
        if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Writes tensors as F32 in the given order, atomically (temp file + rename). */
    public static void write(Path file, Iterable<HostTensor> tensors, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (HostTensor t : tensors) {
            ObjectNode info = header.putObject(t.name());
            info.put("dtype", "F32");
            ArrayNode shape = info.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            ArrayNode offsets = info.putArray("data_offsets");
            offsets.add(offset);
            offset += 4L * t.data().length;
            offsets.add(offset);
        }
        byte[] headerBytes;
        try {
            String json = JSON.writeValueAsString(header);
            // Pad the header with spaces to a multiple of 8 so the data is aligned (as the reference writer does).
            int pad = (8 - json.getBytes(StandardCharsets.UTF_8).length % 8) % 8;
            headerBytes = (json + " ".repeat(pad)).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CheckpointException("cannot encode safetensors header: " + e.getMessage(), e);
        }
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length);
            out.write(len.array());
            out.write(headerBytes);
            for (HostTensor t : tensors) {
                writeFloats(out, t.data());
            }
        });
    }

    private static void writeFloats(OutputStream out, float[] data) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : data) {
            if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putFloat(f);
        }
        out.write(buf.array(), 0, buf.position());
    }

    /** Reads the weight map of a sharded checkpoint's {@code model.safetensors.index.json}. */
    public static Map<String, String> readIndex(Path indexFile) {
        try {
            JsonNode root = JSON.readTree(indexFile.toFile());
            JsonNode map = root.path("weight_map");
            if (!map.isObject()) {
                throw new CheckpointException(indexFile + ": no weight_map object");
            }
            return JSON.convertValue(map, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (IOException e) {
            throw new CheckpointException(indexFile + ": cannot read index: " + e.getMessage(), e);
        }
    }

    /** The {@code __metadata__} strings of a file (empty when absent). */
    public static Map<String, String> readMetadata(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || 8 + headerLen > ch.size()) {
                throw new CheckpointException(file + ": truncated or corrupt safetensors header");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8);
            JsonNode meta = JSON.readTree(new String(headerBuf.array(), StandardCharsets.UTF_8)).path("__metadata__");
            Map<String, String> out = new LinkedHashMap<>();
            meta.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            return out;
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read safetensors file: " + e.getMessage(), e);
        }
    }

    static boolean exists(Path p) {
        return Files.isRegularFile(p);
    }
}
