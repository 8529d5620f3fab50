package salmonrun.activities.model;

import java.util.Arrays;

/** A named float32 tensor in host memory (row-major), the currency of checkpoint IO. */
public record HostTensor(String name, long[] shape, float[] data) {

    public HostTensor {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape)
                    + " needs " + n + " values, got " + data.length);
        }
    }

    public long size() {
        return data.length;
    }
}
