package salmonrun.activities.common;

/**
 * The code version that goes into every execution key: SALMON_CODE_VERSION when set (deployments put the git
 * commit there), else the jar's implementation version, else "dev". Changing it invalidates memoized phases.
 */
public final class CodeVersion {
    private CodeVersion() {}

    public static String current() {
        String env = System.getenv("SALMON_CODE_VERSION");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        String impl = CodeVersion.class.getPackage().getImplementationVersion();
        return impl != null ? impl : "dev";
    }
}
