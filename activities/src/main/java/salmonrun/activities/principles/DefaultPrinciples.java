package salmonrun.activities.principles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The principle and exemplar sets shipped with Salmon Run ({@code principles/} at the repository
 * root, packaged onto the classpath under {@code principles/}). Loaded and validated on first use.
 */
public final class DefaultPrinciples {
    /** Classpath resource of the default principle set. */
    public static final String PRINCIPLES_RESOURCE = "principles/salmon-default.yaml";
    /** Classpath resource of the default exemplar set. */
    public static final String EXEMPLARS_RESOURCE = "principles/salmon-default-exemplars.yaml";

    private DefaultPrinciples() {}

    private static final class Holder {
        static final PrincipleSet PRINCIPLES =
                PrincipleSetFiles.parse("classpath:" + PRINCIPLES_RESOURCE, resource(PRINCIPLES_RESOURCE), false);
        static final ExemplarSet EXEMPLARS =
                ExemplarSetFiles.parse("classpath:" + EXEMPLARS_RESOURCE, resource(EXEMPLARS_RESOURCE), false);
    }

    /** The default principle set (not stored: id is null; import it with {@link PrincipleRepository}). */
    public static PrincipleSet principles() {
        return Holder.PRINCIPLES;
    }

    /** The default exemplar set (not stored: id is null). */
    public static ExemplarSet exemplars() {
        return Holder.EXEMPLARS;
    }

    /** The text of a classpath resource, UTF-8. */
    static String resource(String name) {
        try (InputStream in = DefaultPrinciples.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + name
                        + " is missing (the activities build packages principles/ onto the classpath)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + name, e);
        }
    }
}
