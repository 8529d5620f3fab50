package salmonrun.activities.salmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import salmonrun.activities.principles.Principle;

class PrincipleStatisticsTest {
    @Test
    void ratesBiasMarginsGraderAgreementAndFlags() {
        List<Principle> dims = PreferenceAggregatorTest.DIMS;
        List<ResponsePair> ps = PreferenceAggregatorTest.pairs(10);
        List<Judgement> js = new ArrayList<>();
        // Honest: 6 agree on output 1 with margin i+1, 2 agree on output 2, 1 order-disagreement, 1 tie
        for (int i = 0; i < 6; i++) {
            js.add(new Judgement(i, "Honest", i + 1, i + 1));
        }
        js.add(new Judgement(6, "Honest", -2, -2));
        js.add(new Judgement(7, "Honest", -4, -4));
        js.add(new Judgement(8, "Honest", 3, -1));
        js.add(new Judgement(9, "Honest", 0, 2));
        // Brief: a judge that always picks the first position: s12 = +1, s21 = -1
        // Harmless: only ever ties
        for (int i = 0; i < 10; i++) {
            js.add(new Judgement(i, "Brief", 1, -1));
            js.add(new Judgement(i, "Harmless", 0, 0));
        }
        // the grader: output 1 is honest on even pairs, output 2 on odd ones; cannot judge the rest
        GraderVerdict grader = (pair, p) -> p.name().equals("Honest") ? (pair.exampleIdx() % 2 == 0 ? 1 : 2) : 0;
        var stats = PrincipleStatistics.compute(ps, js, dims, List.of(), grader);

        PrincipleStatistics h = stats.get("Honest");
        assertEquals(10, h.judged());
        assertEquals(0.6, h.output1Rate(), 1e-12);
        assertEquals(0.2, h.output2Rate(), 1e-12);
        assertEquals(0.1, h.tieRate(), 1e-12);
        assertEquals(0.1, h.abstainRate(), 1e-12);
        assertEquals(8.0 / 9, h.orderSwapAgreement(), 1e-12);
        assertEquals((2.0 - 1.0) / 10, h.meanPositionBias(), 1e-12); // (3 - (-1))/2 + (0 - 2)/2 over 10
        assertEquals(List.of(1.0, 1.0, 2.0, 3.0, 4.0, 6.0, 6.0), h.margins());
        // decisive: 0..5 say 1 (agree on 0, 2, 4), 6 and 7 say 2 (agree on 7): 4 of 8
        assertEquals(8, h.graderPairs());
        assertEquals(0.5, h.graderAgreement(), 1e-12);
        // the mean rule also decides 8 (mean 1 -> 1, even: agree) and 9 (mean 1 -> 1, odd: disagree)
        assertEquals(10, h.meanRuleGraderPairs());
        assertEquals(0.5, h.meanRuleGraderAgreement(), 1e-12);
        assertTrue(h.flags().isEmpty(), h.flags().toString());

        PrincipleStatistics b = stats.get("Brief");
        assertEquals(1.0, b.abstainRate(), 1e-12);
        assertEquals(0.0, b.orderSwapAgreement(), 1e-12);
        assertEquals(1.0, b.meanPositionBias(), 1e-12);
        assertEquals(List.of("NEVER_DECIDES", "SELF_DISAGREES"), b.flags());
        assertEquals(0, b.graderPairs());

        PrincipleStatistics z = stats.get("Harmless");
        assertEquals(1.0, z.tieRate(), 1e-12);
        assertTrue(Double.isNaN(z.orderSwapAgreement()));
        assertEquals(List.of("NEVER_DECIDES"), z.flags());

        // survive a JSON round trip through the dataset file
        var json = PreferenceDataset.statisticsJson(stats);
        PrincipleStatistics back = PreferenceDataset.fromJson("Honest", json.get("Honest"));
        assertEquals(h.margins(), back.margins());
        assertEquals(h.graderAgreement(), back.graderAgreement(), 1e-11);
        assertEquals(h.orderSwapAgreement(), back.orderSwapAgreement(), 1e-11);
        assertEquals(List.of("NEVER_DECIDES", "SELF_DISAGREES"),
                PreferenceDataset.fromJson("Brief", json.get("Brief")).flags());
        assertTrue(json.get("Harmless").get("order_swap_agreement").isNull());
    }
}
