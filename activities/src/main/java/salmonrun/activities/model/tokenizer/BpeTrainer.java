package salmonrun.activities.model.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import salmonrun.activities.model.checkpoint.AtomicFiles;

/**
 * Trains a byte-level BPE vocabulary (GPT-2 style) from a corpus and writes a standard {@code tokenizer.json}
 * that DJL's / Hugging Face's tokenizers load: special tokens first, then the 256 byte symbols, then merges.
 * Deterministic: ties between equally frequent pairs go to the smallest symbol ids.
 */
public final class BpeTrainer {
    private BpeTrainer() {
    }

    /** A trained vocabulary: tokens by id and merges in priority order. */
    public record Vocabulary(List<String> tokens, List<String[]> merges, List<String> specialTokens) {
    }

    /**
     * Learns merges until the vocabulary (special tokens + 256 bytes + merges) reaches {@code vocabSize} or no
     * pair occurs at least {@code minFrequency} times.
     */
    public static Vocabulary train(Iterable<String> corpus, int vocabSize, List<String> specialTokens, int minFrequency) {
        int base = specialTokens.size() + 256;
        if (vocabSize < base) {
            throw new IllegalArgumentException("vocab size " + vocabSize + " is smaller than the " + base
                    + " special and byte tokens");
        }
        Map<String, Integer> wordCounts = new HashMap<>();
        for (String doc : corpus) {
            for (String special : specialTokens) { // special tokens are matched whole at encode time, never merged
                doc = doc.replace(special, " ");
            }
            for (String w : ByteLevel.preTokenize(doc)) {
                wordCounts.merge(w, 1, Integer::sum);
            }
        }
        List<String> tokens = new ArrayList<>(specialTokens);
        Map<Character, Integer> byteSymbol = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            byteSymbol.put(ByteLevel.charOf(b), tokens.size());
            tokens.add(String.valueOf(ByteLevel.charOf(b)));
        }
        // Words as symbol sequences, in a deterministic order.
        List<String> words = new ArrayList<>(wordCounts.keySet());
        words.sort(null);
        int[][] symbols = new int[words.size()][];
        int[] freq = new int[words.size()];
        for (int w = 0; w < words.size(); w++) {
            String s = words.get(w);
            symbols[w] = new int[s.length()];
            for (int i = 0; i < s.length(); i++) {
                symbols[w][i] = byteSymbol.get(s.charAt(i));
            }
            freq[w] = wordCounts.get(s);
        }
        Map<Long, Long> pairCounts = new HashMap<>();
        Map<Long, Set<Integer>> pairWords = new HashMap<>();
        for (int w = 0; w < symbols.length; w++) {
            addPairs(symbols[w], w, freq[w], pairCounts, pairWords);
        }
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            ids.putIfAbsent(tokens.get(i), i);
        }
        List<String[]> merges = new ArrayList<>();
        while (tokens.size() < vocabSize) {
            long best = -1;
            long bestCount = 0;
            for (Map.Entry<Long, Long> e : pairCounts.entrySet()) {
                long c = e.getValue();
                if (c > bestCount || (c == bestCount && c > 0 && Long.compareUnsigned(e.getKey(), best) < 0)) {
                    best = e.getKey();
                    bestCount = c;
                }
            }
            if (bestCount < Math.max(1, minFrequency)) {
                break;
            }
            int a = (int) (best >>> 32);
            int b = (int) best;
            String text = tokens.get(a) + tokens.get(b);
            Integer existing = ids.get(text); // two merge paths may spell the same string: keep one id
            int merged = existing != null ? existing : tokens.size();
            if (existing == null) {
                tokens.add(text);
                ids.put(text, merged);
            }
            merges.add(new String[] {tokens.get(a), tokens.get(b)});
            for (int w : new ArrayList<>(pairWords.getOrDefault(best, Set.of()))) {
                removePairs(symbols[w], w, freq[w], pairCounts, pairWords);
                symbols[w] = mergeWord(symbols[w], a, b, merged);
                addPairs(symbols[w], w, freq[w], pairCounts, pairWords);
            }
            pairCounts.remove(best);
            pairWords.remove(best);
        }
        return new Vocabulary(tokens, merges, List.copyOf(specialTokens));
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xffffffffL);
    }

    private static void addPairs(int[] s, int w, int f, Map<Long, Long> counts, Map<Long, Set<Integer>> words) {
        for (int i = 0; i + 1 < s.length; i++) {
            long k = key(s[i], s[i + 1]);
            counts.merge(k, (long) f, Long::sum);
            words.computeIfAbsent(k, x -> new HashSet<>()).add(w);
        }
    }

    private static void removePairs(int[] s, int w, int f, Map<Long, Long> counts, Map<Long, Set<Integer>> words) {
        for (int i = 0; i + 1 < s.length; i++) {
            long k = key(s[i], s[i + 1]);
            Long c = counts.get(k);
            if (c != null) {
                if (c - f <= 0) {
                    counts.remove(k);
                } else {
                    counts.put(k, c - f);
                }
            }
            Set<Integer> ws = words.get(k);
            if (ws != null) {
                ws.remove(w);
            }
        }
    }

    private static int[] mergeWord(int[] s, int a, int b, int merged) {
        int[] out = new int[s.length];
        int n = 0;
        for (int i = 0; i < s.length; i++) {
            if (i + 1 < s.length && s[i] == a && s[i + 1] == b) {
                out[n++] = merged;
                i++;
            } else {
                out[n++] = s[i];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Writes the vocabulary as a byte-level BPE {@code tokenizer.json} (atomically). */
    public static void write(Vocabulary v, Path file) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < v.specialTokens().size(); i++) {
            ObjectNode t = added.addObject();
            t.put("id", i);
            t.put("content", v.specialTokens().get(i));
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "ByteLevel");
        pre.put("add_prefix_space", false);
        pre.put("trim_offsets", true);
        pre.put("use_regex", true);
        root.putNull("post_processor");
        ObjectNode dec = root.putObject("decoder");
        dec.put("type", "ByteLevel");
        dec.put("add_prefix_space", true);
        dec.put("trim_offsets", true);
        dec.put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < v.tokens().size(); i++) {
            vocab.put(v.tokens().get(i), i);
        }
        ArrayNode merges = model.putArray("merges");
        for (String[] m : v.merges()) {
            merges.add(m[0] + " " + m[1]);
        }
        try {
            AtomicFiles.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode tokenizer.json: " + e.getMessage(), e);
        }
    }

    /** Trains and writes {@code tokenizer.json} in one call. */
    public static Vocabulary trainAndWrite(Iterable<String> corpus, int vocabSize, List<String> specialTokens,
                                           int minFrequency, Path file) {
        Vocabulary v = train(corpus, vocabSize, specialTokens, minFrequency);
        write(v, file);
        return v;
    }
}
