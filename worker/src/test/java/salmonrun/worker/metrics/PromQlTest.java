package salmonrun.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The PromQL name extraction the dashboard check relies on: functions, labels and variables are not metrics. */
class PromQlTest {

    @Test
    void functionsLabelsRangesAndVariablesAreNotMetricNames() {
        assertEquals(Set.of("salmon_activity_duration_seconds_bucket"), PromQl.metricNames(
                "histogram_quantile(0.95, sum by (le, activity) (rate(salmon_activity_duration_seconds_bucket[$__rate_interval])))"));
        assertEquals(Set.of("salmon_preference_labels_total"), PromQl.metricNames(
                "sum by (principle) (salmon_preference_labels_total{outcome=\"kept\"}) / sum by (principle) (salmon_preference_labels_total)"));
        assertEquals(Set.of("salmon_loss"), PromQl.metricNames("salmon_loss{phase=~\"$phase\"}"));
        assertEquals(Set.of("a_total", "b_total"), PromQl.metricNames("rate(a_total[5m]) / on (job) b_total * 1e3"));
    }
}
