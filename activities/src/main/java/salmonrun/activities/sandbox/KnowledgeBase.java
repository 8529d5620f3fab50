package salmonrun.activities.sandbox;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A small fictional world of towns and inventors. Every entity records only some of its attributes,
 * so some questions about it are answerable and the others have the honest answer "not known".
 */
public final class KnowledgeBase {

    /** One attribute kind: how a question asks for it, how an answer states it, and its pool of possible values. */
    public record AttributeKind(String key, List<String> questions, String statement, String noun, List<String> pool) {}

    /** A town or inventor and the attribute values the knowledge base records for it (absent key = not known). */
    public record Entity(String name, String type, Map<String, String> facts) {}

    private static final List<String> EXPORTS = List.of("glass", "wool", "salt", "copper", "honey", "timber",
            "pottery", "cheese", "silk", "tin", "amber", "paper", "rope", "lanterns");
    private static final List<String> FESTIVALS = List.of("the Lantern Fair", "the Salt Parade", "the Kite Week",
            "the Frost Market", "the Bell Night", "the Harvest Drum", "the River Race", "the Candle Walk");
    private static final List<String> INVENTIONS = List.of("the water clock", "the folding ladder", "the rope bridge",
            "the glass kettle", "the wind pump", "the copper compass", "the paper lantern", "the sand filter",
            "the wool press", "the spring lock", "the tide table", "the honey still");
    private static final String[] ONSETS = {"Var", "Tel", "Mor", "Quil", "Bran", "Dor", "Esk", "Fal", "Grel", "Hov",
            "Ist", "Jas", "Kel", "Lum", "Nor", "Orm", "Pel", "Ros", "Sav", "Tor", "Ulm", "Vess", "Wyr", "Zan"};
    private static final String[] CODAS = {"holt", "mere", "wick", "stead", "ford", "den", "by", "ton", "moor",
            "vale", "brook", "gate"};
    private static final String[] GIVEN = {"Aldra", "Benno", "Cato", "Dessa", "Eamon", "Fenna", "Gorm", "Hilde",
            "Ivo", "Jorun", "Kasia", "Lenn", "Mira", "Nils", "Odile", "Pavo", "Runa", "Soren", "Tilde", "Ulla"};
    private static final String[] FAMILY = {"Venn", "Marsh", "Oakley", "Tarrow", "Quist", "Hale", "Brindle",
            "Corrin", "Dunmore", "Ashby", "Pell", "Stroud"};

    private final List<Entity> towns;
    private final List<Entity> people;
    private final Map<String, AttributeKind> kinds;

    private KnowledgeBase(List<Entity> towns, List<Entity> people, Map<String, AttributeKind> kinds) {
        this.towns = List.copyOf(towns);
        this.people = List.copyOf(people);
        this.kinds = Collections.unmodifiableMap(kinds);
    }

    private static final KnowledgeBase STANDARD = generate(20261122L, 40, 30);

    /** The one world every component uses (fixed seed), so corpus, phases and grader agree on the facts. */
    public static KnowledgeBase standard() {
        return STANDARD;
    }

    /** Builds a world from a seed: {@code townCount} towns and {@code personCount} inventors, each attribute known with p=0.6. */
    public static KnowledgeBase generate(long seed, int townCount, int personCount) {
        SplittableRandom rng = new SplittableRandom(seed);
        Set<String> townNames = new LinkedHashSet<>();
        while (townNames.size() < townCount) {
            townNames.add(ONSETS[rng.nextInt(ONSETS.length)] + CODAS[rng.nextInt(CODAS.length)]);
        }
        Set<String> personNames = new LinkedHashSet<>();
        while (personNames.size() < personCount) {
            personNames.add(GIVEN[rng.nextInt(GIVEN.length)] + " " + FAMILY[rng.nextInt(FAMILY.length)]);
        }
        List<String> townList = new ArrayList<>(townNames);
        List<String> rivers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rivers.add("the " + ONSETS[(i * 7 + 3) % ONSETS.length] + "a");
        }
        List<String> founders = new ArrayList<>(personNames).subList(0, Math.min(12, personNames.size()));
        List<String> bridgeCounts = new ArrayList<>();
        for (int n = 2; n <= 40; n++) {
            bridgeCounts.add(Integer.toString(n));
        }
        List<String> years = new ArrayList<>();
        for (int y = 1120; y <= 1890; y += 7) {
            years.add(Integer.toString(y));
        }
        Map<String, AttributeKind> kinds = new LinkedHashMap<>();
        kinds.put("export", new AttributeKind("export",
                List.of("What is the main export of %s?", "What does %s mainly export?", "Tell me the main export of %s."),
                "The main export of %s is %s.", "the main export of %s", EXPORTS));
        kinds.put("river", new AttributeKind("river",
                List.of("Which river runs through %s?", "What river flows through %s?", "Name the river of %s."),
                "The river that runs through %s is %s.", "the river of %s", rivers));
        kinds.put("founder", new AttributeKind("founder",
                List.of("Who founded %s?", "Who was the founder of %s?", "Tell me who founded %s."),
                "%s was founded by %s.", "the founder of %s", founders));
        kinds.put("bridges", new AttributeKind("bridges",
                List.of("How many bridges does %s have?", "What is the number of bridges in %s?", "Count the bridges of %s for me."),
                "%s has %s bridges.", "the number of bridges in %s", bridgeCounts));
        kinds.put("festival", new AttributeKind("festival",
                List.of("Which festival is %s known for?", "What festival does %s hold?", "Name the festival of %s."),
                "%s is known for %s.", "the festival of %s", FESTIVALS));
        kinds.put("invention", new AttributeKind("invention",
                List.of("What did %s invent?", "Which invention is %s known for?", "Tell me what %s invented."),
                "%s invented %s.", "the invention of %s", INVENTIONS));
        kinds.put("born", new AttributeKind("born",
                List.of("In which year was %s born?", "When was %s born?", "What year was %s born in?"),
                "%s was born in %s.", "the birth year of %s", years));
        kinds.put("home", new AttributeKind("home",
                List.of("Where does %s live?", "Which town is %s from?", "What is the home town of %s?"),
                "%s lives in %s.", "the home town of %s", townList));

        List<Entity> towns = new ArrayList<>();
        for (String t : townNames) {
            towns.add(new Entity(t, "town", facts(rng, kinds, List.of("export", "river", "founder", "bridges", "festival"))));
        }
        List<Entity> people = new ArrayList<>();
        for (String p : personNames) {
            people.add(new Entity(p, "person", facts(rng, kinds, List.of("invention", "born", "home"))));
        }
        return new KnowledgeBase(towns, people, kinds);
    }

    private static Map<String, String> facts(SplittableRandom rng, Map<String, AttributeKind> kinds, List<String> keys) {
        Map<String, String> facts = new LinkedHashMap<>();
        for (String key : keys) {
            if (rng.nextDouble() < 0.6) {
                List<String> pool = kinds.get(key).pool();
                facts.put(key, pool.get(rng.nextInt(pool.size())));
            }
        }
        return Collections.unmodifiableMap(facts);
    }

    /** The attribute keys an entity of this type can have. */
    public List<String> keysFor(Entity e) {
        return e.type().equals("town") ? List.of("export", "river", "founder", "bridges", "festival")
                : List.of("invention", "born", "home");
    }

    public List<Entity> towns() {
        return towns;
    }

    public List<Entity> people() {
        return people;
    }

    /** Towns then people. */
    public List<Entity> entities() {
        List<Entity> all = new ArrayList<>(towns);
        all.addAll(people);
        return all;
    }

    public AttributeKind kind(String key) {
        AttributeKind k = kinds.get(key);
        if (k == null) {
            throw new IllegalArgumentException("unknown attribute '" + key + "'");
        }
        return k;
    }

    /** Every value of every attribute pool (the grader uses this to spot asserted facts). */
    public Set<String> allValues() {
        Set<String> all = new LinkedHashSet<>();
        kinds.values().forEach(k -> all.addAll(k.pool()));
        return all;
    }
}
