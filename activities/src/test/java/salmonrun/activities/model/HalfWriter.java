package salmonrun.activities.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helper: writes safetensors in BF16 or F16 (round-to-nearest-even), as HF does for half checkpoints. */
final class HalfWriter {
    private HalfWriter() {
    }

    static void write(Path file, List<HostTensor> tensors, String dtype) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        long offset = 0;
        for (HostTensor t : tensors) {
            long bytes = 2L * t.data().length;
            header.put(t.name(), Map.of("dtype", dtype, "shape", t.shape(), "data_offsets", List.of(offset, offset + bytes)));
            offset += bytes;
        }
        byte[] h = new ObjectMapper().writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate((int) (8 + h.length + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        for (HostTensor t : tensors) {
            for (float f : t.data()) {
                buf.putShort(dtype.equals("BF16") ? toBf16(f) : toF16(f));
            }
        }
        Files.write(file, buf.array());
    }

    static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /** float -> IEEE half, round to nearest even (finite inputs within half range, as model weights are). */
    static short toF16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        float a = Math.abs(f);
        if (a < 0x1p-24f / 2) {
            return (short) sign;
        }
        if (a < 0x1p-14f) { // subnormal half: multiples of 2^-24
            int m = Math.round(a / 0x1p-24f); // ties are rare enough for a test helper
            return (short) (sign | m);
        }
        int exp = ((bits >>> 23) & 0xff) - 127 + 15;
        int mant = bits & 0x7fffff;
        int half = (exp << 10) | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }

    static float fromF16(short h) {
        int bits = h & 0xffff;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        float v = exp == 0 ? mant * 0x1p-24f : (float) ((1 + mant / 1024.0) * Math.pow(2, exp - 15));
        return (bits & 0x8000) != 0 ? -v : v;
    }

    static float[] roundTrip(float[] data, String dtype) {
        float[] out = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = dtype.equals("BF16") ? Float.intBitsToFloat((toBf16(data[i]) & 0xffff) << 16)
                    : fromF16(toF16(data[i]));
        }
        return out;
    }
}
