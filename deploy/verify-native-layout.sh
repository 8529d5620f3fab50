#!/usr/bin/env bash
# Rehearses, without a container engine, how deploy/Dockerfile lays out the PyTorch native library:
# unpack the flavor's native jar into a directory, drop every pytorch-native jar from the classpath,
# point PYTORCH_LIBRARY_PATH at the directory, and load the engine with DJL offline and a fresh cache.
# Prints the engine version and a tensor sum; fails if DJL would need the network or the jar.
#
#   ./mvnw -B -q -DskipTests package && deploy/verify-native-layout.sh [cpu|cu128]
#
# cu128 needs the CUDA jar in ~/.m2 (e.g. mvn dependency:get) and an NVIDIA driver to run a tensor.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
flavor="${1:-cpu}"
version="$(sed -n 's:.*<pytorch.version>\(.*\)</pytorch.version>.*:\1:p' "$root/pom.xml")"
lib="$root/worker/target/lib"
[ -d "$lib" ] || { echo "no $lib: run ./mvnw -B -q -DskipTests package first" >&2; exit 1; }

if [ "$flavor" = cpu ]; then
  jar_file="$lib/pytorch-native-cpu-$version-linux-x86_64.jar"
else
  jar_file="$HOME/.m2/repository/ai/djl/pytorch/pytorch-native-$flavor/$version/pytorch-native-$flavor-$version-linux-x86_64.jar"
fi
[ -f "$jar_file" ] || { echo "missing native jar $jar_file" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && jar xf "$jar_file" "pytorch/$flavor/linux-x86_64/")
native="$work/pytorch/$flavor/linux-x86_64"
[ -f "$native/libtorch.so" ] || { echo "no libtorch.so in $jar_file" >&2; exit 1; }

# The image's classpath: salmon.jar + lib/* without any pytorch-native jar.
cp_entries="$root/worker/target/salmon.jar"
for j in "$lib"/*.jar; do
  case "$(basename "$j")" in pytorch-native-*) ;; *) cp_entries="$cp_entries:$j" ;; esac
done

mkdir -p "$work/src"
cat > "$work/src/NativeCheck.java" <<'JAVA'
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

public class NativeCheck {
    public static void main(String[] args) {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = NDManager.newBaseManager()) {
            System.out.println("engine " + engine.getEngineName() + " " + engine.getVersion()
                    + ", device " + m.getDevice() + ", arange(10).sum() = " + m.arange(10f).sum().getFloat());
        }
    }
}
JAVA

env -i PATH="$PATH" HOME="$work" \
  DJL_OFFLINE=true OPT_OUT_TRACKING=true \
  DJL_CACHE_DIR="$work/cache" ENGINE_CACHE_DIR="$work/cache" \
  PYTORCH_LIBRARY_PATH="$native" PYTORCH_VERSION="$version" PYTORCH_FLAVOR="$flavor" \
  java -Doffline=true -Dai.djl.offline=true -cp "$cp_entries" "$work/src/NativeCheck.java"

echo "cache after start-up (only the JNI glue may appear here):"
(cd "$work/cache" && find . -type f | sed 's/^/  /')
