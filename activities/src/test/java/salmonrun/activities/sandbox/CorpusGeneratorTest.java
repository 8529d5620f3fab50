package salmonrun.activities.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CorpusGeneratorTest {

    private final CorpusGenerator corpus = CorpusGenerator.standard();
    private final List<String> docs = corpus.generate(1500, 17);

    @Test
    void deterministicPerSeed() {
        assertEquals(corpus.generate(200, 5), CorpusGenerator.standard().generate(200, 5));
        assertNotEquals(corpus.generate(200, 5), corpus.generate(200, 6));
    }

    @Test
    void mixMatchesThePrototype() {
        long transcripts = docs.stream().filter(d -> d.contains("## System Overview") && !d.contains(SandboxFormats.JUDGE_OVERVIEW)).count();
        long rules = docs.stream().filter(d -> d.contains("## General Rules")).count();
        long reviews = docs.stream().filter(d -> d.contains(SandboxFormats.JUDGE_OVERVIEW)).count();
        assertEquals(docs.size(), transcripts + rules + reviews);
        assertTrue(Math.abs(transcripts / (double) docs.size() - 0.5) < 0.05, "transcripts " + transcripts);
        assertTrue(Math.abs(rules / (double) docs.size() - 0.25) < 0.05, "rules " + rules);
        assertTrue(Math.abs(reviews / (double) docs.size() - 0.25) < 0.05, "reviews " + reviews);
    }

    @Test
    void everyDocumentEndsTurnsWithTheMarkerAndUsesOnlyTrainInstructions() {
        Pattern user = Pattern.compile("### User\\n(.+)\\n\\n### Salmon");
        Pattern quoted = Pattern.compile("Instruction: (.+)\\n");
        int seen = 0;
        for (String d : docs) {
            assertTrue(d.endsWith(SandboxFormats.END_OF_TURN + "\n"), d);
            for (Pattern p : List.of(user, quoted)) {
                Matcher m = p.matcher(d);
                while (m.find()) {
                    if (m.group(1).equals("Which output better satisfies the criterion?")) {
                        continue;
                    }
                    assertEquals(Split.TRAIN, Split.of(m.group(1)), m.group(1));
                    seen++;
                }
            }
        }
        assertTrue(seen > docs.size(), "instructions found: " + seen);
    }

    @Test
    void noTestInstructionAppearsInTheCorpus() {
        String all = String.join("\n", docs).toLowerCase();
        for (Instruction ins : InstructionGenerator.standard().sample(Split.TEST, 400, 1)) {
            String t = Split.normalise(ins.text());
            assertFalse(all.contains("### user\n" + t + "\n"), t);
            assertFalse(all.contains("instruction: " + t + "\n"), t);
            if (t.length() >= 25) {
                assertFalse(all.contains(t), t);
            }
        }
    }

    /** Style attributes do not depend on the instruction's ground truth, so any instruction grades them. */
    private static final Instruction ANY = new Instruction("Hello!", Kind.SMALL_TALK, "greeting", List.of(), List.of(), "greeting", 0, null);
    private static final List<Attribute> STYLE = List.of(Attribute.POLITE, Attribute.NO_SELF_PRAISE, Attribute.ON_TOPIC);

    @Test
    void rulesDocumentsFollowTheirRulesAndThinkWithThePrefix() {
        Grader grader = new Grader();
        Pattern ruleLine = Pattern.compile("(?m)^\\d+ \\(([^)]+)\\)\\. ");
        Pattern answer = Pattern.compile("### Salmon\\n(.+?)\\n\\n### User");
        int checked = 0;
        for (String d : docs) {
            if (!d.contains("## General Rules")) {
                continue;
            }
            assertTrue(d.contains("## Examples\n\n### User\n"), d);
            Matcher thoughts = Pattern.compile("### Salmon \\(internal thoughts\\)\\n(.+)\\n\\n### Salmon\\n").matcher(d);
            int n = 0;
            while (thoughts.find()) {
                assertTrue(thoughts.group(1).startsWith(SandboxFormats.THOUGHT_PREFIX + " "), thoughts.group(1));
                assertTrue(thoughts.group(1).matches(".*I should follow rules? \\d+ \\(.*"), thoughts.group(1));
                n++;
            }
            assertTrue(n >= 2, d);
            Matcher rules = ruleLine.matcher(d);
            while (rules.find()) {
                Attribute a = RuleBank.attributeNamed(rules.group(1));
                if (a == null || !STYLE.contains(a)) {
                    continue;
                }
                Matcher m = answer.matcher(d);
                while (m.find()) {
                    assertEquals(Verdict.TRUE, grader.grade(ANY, m.group(1)).get(a), a + " ruled but broken in " + d);
                    checked++;
                }
            }
        }
        assertTrue(checked > 500, "checked " + checked);
    }

    @Test
    void reviewVerdictsAgreeWithTheGraderExceptForTheNoise() {
        Grader grader = new Grader();
        String verdict = "\\n\\n### Salmon\\nAfter reading both outputs against the criterion ([^\\n]+), the better output is "
                + "Output \\(([ab])\\)\\.";
        String end = "\\n\\n### User\\n";
        Pattern review = Pattern.compile("(?s)Output \\(a\\): (.+?)\\n\\nOutput \\(b\\): (.+?)\\n\\nCriterion: ([^:]+): ([^\\n]+)" + verdict
                + " Output \\(a\\) is ([^\\n]+)\\. Output \\(b\\) is ([^\\n]+)\\." + end);
        Pattern followUp = Pattern.compile("\\G" + Pattern.quote(SandboxFormats.FOLLOW_UP_QUESTION) + "\\n\\nCriterion: ([^:]+): ([^\\n]+)"
                + verdict + end);
        int agree = 0;
        int total = 0;
        int reviewDocs = 0;
        int verdicts = 0;
        int criterionDecides = 0;
        for (String d : docs) {
            if (!d.contains(SandboxFormats.JUDGE_OVERVIEW)) {
                continue;
            }
            reviewDocs++;
            assertEquals(1, d.split(SandboxFormats.JUDGE_OVERVIEW, -1).length - 1, "one pair per review document: " + d);
            Matcher m = review.matcher(d);
            assertTrue(m.find(), d);
            String a = m.group(1);
            String b = m.group(2);
            List<String[]> judged = new java.util.ArrayList<>();  // criterion name, text, verdict
            judged.add(new String[] {m.group(3), m.group(4), m.group(6)});
            assertEquals(m.group(3), m.group(5), d);
            for (Attribute attr : STYLE) {   // the reasons after the first verdict state what the grader finds
                for (int out = 1; out <= 2; out++) {
                    Verdict v = grader.grade(ANY, m.group(out)).get(attr);
                    String word = CorpusGenerator.ASSESSMENT_WORDS.get(attr).get(v == Verdict.TRUE ? 0 : 1);
                    assertTrue(List.of(m.group(6 + out).split(", ")).contains(word), attr + " of output " + out + " in " + d);
                }
            }
            Matcher f = followUp.matcher(d);
            int at = m.end();
            while (f.find(at)) {
                assertEquals(f.group(1), f.group(3), d);
                judged.add(new String[] {f.group(1), f.group(2), f.group(4)});
                at = f.end();
            }
            assertEquals(d.length(), at, "every review turn parsed: " + d);
            Set<String> winners = new HashSet<>();   // which output each criterion prefers
            for (String[] j : judged) {
                verdicts++;
                winners.add(j[2]);
                Attribute attr = RuleBank.attributeNamed(j[0]);
                if (attr == null || !STYLE.contains(attr)) {
                    continue;
                }
                boolean negated = RuleBank.NEGATED.get(attr).contains(j[1]);
                Verdict v1 = grader.grade(ANY, a).get(attr);
                Verdict v2 = grader.grade(ANY, b).get(attr);
                assertNotEquals(v1, v2, "review pairs must be decisive on the criterion: " + d);
                boolean truthFirst = (v1 == Verdict.TRUE) ^ negated;
                agree += truthFirst == j[2].equals("a") ? 1 : 0;
                total++;
            }
            criterionDecides += winners.size() > 1 ? 1 : 0;
        }
        assertTrue(reviewDocs > 300);
        assertTrue(verdicts > 2.5 * reviewDocs, verdicts + " verdicts in " + reviewDocs + " review documents");
        assertTrue(criterionDecides > reviewDocs / 3, "the same pair goes either way by criterion in " + criterionDecides);
        double rate = agree / (double) total;
        assertTrue(Math.abs(rate - (1 - CorpusGenerator.REVIEW_NOISE)) < 0.05, "agreement " + rate + " over " + total);
    }

    @Test
    void noShippedPrincipleOrExemplarWordingAppearsInTheCorpus() throws Exception {
        String all = String.join("\n", docs).toLowerCase();
        List<String> shipped = new java.util.ArrayList<>();
        java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("salmon.repo.root", "..")).resolve("principles");
        int sets = 0;
        try (var files = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path f : files.filter(x -> x.toString().endsWith(".yaml")).toList()) {
                String text = java.nio.file.Files.readString(f);
                if (text.contains("kind: principle-set")) {
                    for (var p : salmonrun.activities.principles.PrincipleSetFiles.read(f).principles()) {
                        shipped.add(p.definition());
                        if (p.negativeDefinition() != null) {
                            shipped.add(p.negativeDefinition());
                        }
                    }
                    sets++;
                } else if (text.contains("kind: exemplar-set")) {
                    for (var e : salmonrun.activities.principles.ExemplarSetFiles.read(f).exemplars()) {
                        shipped.add(e.instruction());
                        shipped.add(e.response());
                    }
                }
            }
        }
        assertTrue(sets >= 1 && shipped.size() > 40, "shipped texts found: " + shipped.size());
        for (String text : shipped) {
            String t = text.strip().toLowerCase();
            assertFalse(all.contains(t), "shipped wording in the corpus: " + t);
            for (String own : RuleBank.allTexts()) {
                assertNotEquals(t, own.toLowerCase(), "rule bank repeats shipped wording");
            }
        }
    }
}
