package salmonrun.activities.principles;

/** What a principle is used for in the SALMON pipeline. */
public enum Role {
    /** A rule shown in context during principle-driven self-alignment. */
    SELF_ALIGN("self_align"),
    /** A dimension the judge labels response pairs on (needs a negative definition). */
    LABELLING("labelling"),
    /** A principle sampled by weight for the reward model during RL. */
    RL("rl"),
    /** A principle always given to the reward model during RL, to stop reward hacking. */
    INTERVENTION("intervention");

    private final String dbName;

    Role(String dbName) {
        this.dbName = dbName;
    }

    /** The name used in files and in the database. */
    public String dbName() {
        return dbName;
    }

    /** Parses a file/database name such as {@code self_align}; null if unknown. */
    public static Role fromDbName(String name) {
        for (Role r : values()) {
            if (r.dbName.equals(name)) {
                return r;
            }
        }
        return null;
    }
}
