package org.zoobench.experiments.data;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.UserInputException;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PrefetcherTest {

    private static List<DataSet> batches(int n) {
        List<DataSet> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new DataSet(Nd4j.scalar((float) i).reshape(1, 1), Nd4j.ones(1, 1)));
        }
        return list;
    }

    @Test
    void aFailureWhileProducingReachesTheConsumerUnchanged() {
        UserInputException problem = new UserInputException("image 3 is corrupt");
        ListDataSetIterator<DataSet> failing = new ListDataSetIterator<>(batches(5), 1) {
            private int served;

            @Override
            public DataSet next() {
                if (served++ == 2) {
                    throw problem;
                }
                return super.next();
            }
        };
        Prefetcher prefetcher = new Prefetcher(failing, 4);
        try {
            assertEquals(0f, prefetcher.next().getFeatures().getFloat(0), 0f);
            assertEquals(1f, prefetcher.next().getFeatures().getFloat(0), 0f);
            assertSame(problem, assertThrows(UserInputException.class, prefetcher::hasNext),
                    "rethrown, not taken for the end of the data");
        } finally {
            prefetcher.stop();
        }
    }

    @Test
    void resetMidPassStartsAgain() {
        Prefetcher prefetcher = new Prefetcher(new ListDataSetIterator<>(batches(6), 1), 2);
        try {
            prefetcher.next();
            prefetcher.next();
            prefetcher.reset();
            int count = 0;
            while (prefetcher.hasNext()) {
                assertEquals(count, prefetcher.next().getFeatures().getFloat(0), 0f);
                count++;
            }
            assertEquals(6, count);
            assertFalse(prefetcher.hasNext());
        } finally {
            prefetcher.stop();
        }
        assertFalse(prefetcher.hasNext(), "a stopped prefetcher has nothing more");
    }
}
