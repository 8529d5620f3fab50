package salmonrun.activities.common;

import java.util.ArrayList;
import java.util.List;
import salmonrun.activities.preferences.PreferencesActivitiesImpl;
import salmonrun.activities.preferences.PreferencesConfig;
import salmonrun.activities.selfalign.SelfAlignActivitiesImpl;
import salmonrun.activities.selfalign.SelfAlignConfig;
import salmonrun.workflows.common.PhaseNames;

/** The activity implementations a production worker registers on its task queues. */
public final class ProductionActivities {
    private ProductionActivities() {}

    /** Every activity implementation over {@code services}; running activities report every {@code reportMillis}. */
    public static List<Object> create(ActivityServices services, long reportMillis) {
        PhaseValidation validation = new PhaseValidation(services)
                .configValidator(PhaseNames.SELF_ALIGN, c -> SelfAlignConfig.of(c, 1))
                .configValidator(PhaseNames.PREFERENCES, c -> PreferencesConfig.of(c, 1));
        List<Object> all = new ArrayList<>();
        all.add(new BookkeepingActivitiesImpl(services, validation));
        all.add(new SelfAlignActivitiesImpl(services, reportMillis));
        all.add(new PreferencesActivitiesImpl(services, reportMillis));
        return all;
    }
}
