package salmonrun.activities.common;

import java.util.ArrayList;
import java.util.List;

/** The activity implementations a production worker registers on its task queues. */
public final class ProductionActivities {
    private ProductionActivities() {}

    /** Every activity implementation over {@code services}; running activities report every {@code reportMillis}. */
    public static List<Object> create(ActivityServices services, long reportMillis) {
        PhaseValidation validation = new PhaseValidation(services);
        List<Object> all = new ArrayList<>();
        all.add(new BookkeepingActivitiesImpl(services, validation));
        return all;
    }
}
